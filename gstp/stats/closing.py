"""When an edition is over: its week and the period to report attendance both ended."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from gstp.editions.models import Edition

# Organizations report attendance after the week; the reminders go out as activities end.
ATTENDANCE_PERIOD = timedelta(days=90)
LOCAL_ZONE = ZoneInfo("America/Toronto")


def edition_is_over(edition: Edition, today: date | None = None) -> bool:
    """The one rule deciding that an edition's figures no longer change by themselves:
    staff closed it, or its week and attendance period are over."""
    if edition.closed_at is not None:
        return True
    today = today or datetime.now(LOCAL_ZONE).date()
    return today > edition.ends_on + ATTENDANCE_PERIOD
