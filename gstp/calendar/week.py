"""The week calendar: each day's occurrences in local time, a bounded number per page."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from math import ceil
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from gstp.activities.models import Activity, Occurrence
from gstp.calendar import index
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.queries import edition_days, edition_select
from gstp.editions.models import Edition
from gstp.extensions import db

# A province-wide week holds well over a thousand activities: the week grid shows the first
# ones of each day and links to the day, which is paginated.
DAY_PREVIEW = 8
DAY_PAGE = 50


@dataclass
class DaySchedule:
    """One day of the calendar: how many occurrences match, and the page of them shown."""

    day: date
    total: int
    page: int
    per_page: int
    items: list[tuple[Occurrence, Activity]]

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def more(self) -> int:
        """Occurrences of the day not shown on this page."""
        return self.total - len(self.items)


def week_schedule(edition: Edition | None, filters: ActivityFilters, *,
                  page: int = 1) -> list[DaySchedule]:
    """Every day of the week (or the filtered day, paginated) with its occurrences in order."""
    days = edition_days(edition)
    if filters.date:
        days, per_page = [d for d in days if d.isoformat() == filters.date], DAY_PAGE
    else:
        page, per_page = 1, DAY_PREVIEW
    if not days:
        return []
    page = max(page, 1)
    start = (page - 1) * per_page
    by_day = _occurrence_keys_by_day(edition, filters)
    shown = {day: [key[-1] for key in sorted(by_day.get(day, []))[start:start + per_page]]
             for day in days}
    loaded = _occurrences({i for ids in shown.values() for i in ids})
    return [DaySchedule(day, len(by_day.get(day, [])), page, per_page,
                        items=[(loaded[i], loaded[i].activity) for i in shown[day]])
            for day in days]


def _occurrence_keys_by_day(edition: Edition, filters: ActivityFilters) -> dict[date, list]:
    """(local start, activity id, occurrence id) of every matching occurrence, by local day.

    Only three columns per occurrence: the full rows are loaded for the shown ones only.
    """
    by_day = defaultdict(list)
    if index.supports(filters):
        for row in index.matching(edition, filters, upcoming=False):
            for o in row.occurrences:
                by_day[o.local_start.date()].append((o.local_start, o.activity_id, o.id))
        return by_day
    matching = edition_select(edition, filters, upcoming=False).with_only_columns(Activity.id)
    rows = db.session.execute(
        sa.select(Occurrence.starts_at, Occurrence.time_zone, Occurrence.activity_id,
                  Occurrence.id).where(Occurrence.activity_id.in_(matching)))
    for starts_at, time_zone, activity_id, occurrence_id in rows:
        local = starts_at.astimezone(ZoneInfo(time_zone))
        by_day[local.date()].append((local, activity_id, occurrence_id))
    return by_day


def _occurrences(ids: set[int]) -> dict[int, Occurrence]:
    """The shown occurrences by id, with their activity and its municipality, in one query."""
    return {occurrence.id: occurrence for occurrence in db.session.scalars(
        sa.select(Occurrence).where(Occurrence.id.in_(ids)).options(
            joinedload(Occurrence.activity).selectinload(Activity.municipality)))}
