"""Helpers of the public calendar tests: an edition in the future and activities placed in it."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gstp.activities.models import Occurrence
from gstp.calendar.feeds import feed_cache
from tests.factories import ActivityFactory, EditionFactory

TORONTO = ZoneInfo("America/Toronto")
BLANC_SABLON = ZoneInfo("America/Blanc-Sablon")


@pytest.fixture(autouse=True)
def _empty_feed_cache():
    """Each test starts from a cold feed cache (ETags include database ids reused by tests)."""
    feed_cache.clear()
    yield
    feed_cache.clear()


@pytest.fixture
def edition():
    """Next year's edition: current, and its week still to come whatever today is."""
    return EditionFactory(year=date.today().year + 1)


def occurrence_on(edition, *, day: int = 2, hour: int = 10, minutes: int = 90,
                  zone: ZoneInfo = TORONTO) -> Occurrence:
    """An occurrence on the given day of the edition week (0 = Sunday), local time."""
    d = edition.starts_on + timedelta(days=day)
    start = datetime(d.year, d.month, d.day, hour, 0, tzinfo=zone)
    return Occurrence(starts_at=start, ends_at=start + timedelta(minutes=minutes),
                      time_zone=zone.key)


def make_activity(edition, **kwargs):
    """A published activity of this edition (factory defaults: Québec, early literacy)."""
    return ActivityFactory(edition=edition, **kwargs)
