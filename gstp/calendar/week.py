"""The week calendar: each day's occurrences in local time, a bounded number per page."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gstp.activities.models import Activity, Occurrence
from gstp.calendar import index
from gstp.calendar.cards import week_items
from gstp.calendar.carry import page_not_carried, page_reader, page_reads
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.queries import Page, edition_days, edition_select
from gstp.editions.models import Edition
from gstp.extensions import db

# A province-wide week holds well over a thousand activities: the week grid shows the first
# ones of each day and links to the day, which is paginated.
DAY_PREVIEW = 8
DAY_PAGE = 50


@dataclass
class DaySchedule(Page):
    """One day of the calendar: how many occurrences match, and the page of them shown.

    items are the rendered week items (see cards.week_items).
    """

    day: date | None = None

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
    if index.supports(filters):
        page_reads("week shape", edition.id, filters.to_args(),
                   [day.isoformat() for day in days], start, per_page)
    else:
        page_not_carried()
    shown = {day: [key[-1] for key in by_day.get(day, [])[start:start + per_page]]
             for day in days}
    items = week_items([i for day in days for i in shown[day]])
    return [DaySchedule(items=[items[i] for i in shown[day] if i in items],
                        total=len(by_day.get(day, [])), page=page, per_page=per_page, day=day)
            for day in days]


@page_reader("week shape")
def _shape(edition_id: int, filter_args: dict, days: list[str], start: int,
           per_page: int) -> list:
    """What the week shows of each day: its shown occurrences and how many there are."""
    by_day = _occurrence_keys_by_day(index.EditionRef(edition_id),
                                     ActivityFilters.from_args(filter_args))
    return [(day, by_day.get(date.fromisoformat(day), [])[start:start + per_page],
             len(by_day.get(date.fromisoformat(day), []))) for day in days]


def _occurrence_keys_by_day(edition: Edition, filters: ActivityFilters) -> dict[date, list]:
    """(local start, activity id, occurrence id) of every matching occurrence, by local day,
    in order.

    Only three columns per occurrence: the shown ones are rendered from their ids.
    """
    if index.supports(filters):
        rows = index.matching(edition, filters, upcoming=False)
        by_day = index.occurrences_by_day(edition)
        if len(rows) < len(index.public_rows(edition)):
            ids = {row.id for row in rows}
            by_day = {day: [key for key in keys if key[1] in ids]
                      for day, keys in by_day.items()}
        return by_day
    by_day = defaultdict(list)
    matching = edition_select(edition, filters, upcoming=False).with_only_columns(Activity.id)
    rows = db.session.execute(
        sa.select(Occurrence.starts_at, Occurrence.time_zone, Occurrence.activity_id,
                  Occurrence.id).where(Occurrence.activity_id.in_(matching)))
    for starts_at, time_zone, activity_id, occurrence_id in rows:
        local = starts_at.astimezone(ZoneInfo(time_zone))
        by_day[local.date()].append((local, activity_id, occurrence_id))
    for keys in by_day.values():
        keys.sort()
    return by_day
