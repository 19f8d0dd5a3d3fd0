"""Security tests; helpers shared by the rate-limit tests."""
import time

from gstp.security import ratelimit


class LimiterClock:
    """The rate limiter's clock: starts at a whole minute, then runs with real time.

    The limiter counts in fixed clock windows: a test begun in a minute's last seconds would
    see its per-minute count start again half-way and fail for no fault of the code. Started
    on a minute's first second, the limiter sees every test begin clear of a minute's end,
    and `advance` moves it on without the test waiting.
    """

    def __init__(self):
        self._real_start = time.time()
        self._start = (self._real_start // 60 + 1) * 60
        self._skipped = 0.0

    def time(self) -> float:
        """Seconds since the epoch, as the limiter reads them."""
        return self._start + (time.time() - self._real_start) + self._skipped

    def advance(self, seconds: float) -> None:
        """Move the limiter's clock `seconds` ahead, as if the test had waited."""
        self._skipped += seconds


def pin_limiter_clock(monkeypatch) -> LimiterClock:
    """Give the limiter a clock of its own for one test (see LimiterClock)."""
    clock = LimiterClock()
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock
