"""Security tests; helpers shared by the rate-limit tests."""
import time


def start_clear_of_a_minute_end(margin: float = 20) -> None:
    """Wait for the next minute when few seconds are left in this one.

    The limiter counts in fixed clock windows: a test begun in a minute's last seconds would
    see its per-minute count start again half-way and fail for no fault of the code.
    """
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.1)
