"""In-process index of an edition's public activities, built once per public data version.

The list, week, day and home pages filter, count and order these few columns in Python
instead of asking the database to scan, sort and count every activity on each request; only
the shown page is then loaded. A text search asks the database only which activities
match and how well (its full-text index answers); "near me" still goes to the database
(`supports`). The rules mirror ActivityFilters.apply and queries.ordered, and the tests
compare both on the same data.

A new version does not read every activity again: the rows of an earlier version are
carried like any other value (`carry.carried`), and only the activities the public change
log names are reloaded; a version the log cannot account for is read in full.
"""
from bisect import bisect_left, insort
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter, itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState, Occurrence
from gstp.calendar import search_ranks
from gstp.calendar.carry import carried
from gstp.calendar.filters import LOCAL_ZONE, ActivityFilters
from gstp.calendar.memo import memoized
from gstp.db import utcnow
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.organizations.models import Organization

# The same far-future key as PostgreSQL's NULLS LAST for an activity without any date.
_NO_DATE = datetime.max.replace(tzinfo=UTC)
_KEY = itemgetter(0, 1, 2)


class Dated(NamedTuple):
    """One occurrence: its ids, UTC bounds and local start (in its own zone)."""

    id: int
    activity_id: int
    starts_at: datetime
    ends_at: datetime
    local_start: datetime


class Row(NamedTuple):
    """What filters and ordering read of one public activity."""

    id: int
    published: bool
    region_code: str | None
    mrc_code: str | None
    municipality_code: str | None
    category: str
    audience: str
    format: str
    organization_slug: str
    first_start: datetime
    last_end: datetime | None
    occurrences: tuple[Dated, ...]
    local_days: frozenset[date]  # days of LOCAL_ZONE any occurrence overlaps (date filter)


class EditionRef(NamedTuple):
    """An edition as the index reads it (its id): kept across requests, unlike an ORM row."""

    id: int

    @classmethod
    def of(cls, edition) -> "EditionRef | None":
        return None if edition is None else cls(edition.id)


def supports(filters: ActivityFilters) -> bool:
    """Whether the index can answer these filters (places need SQL)."""
    return filters.place is None


def public_rows(edition: Edition | None) -> list[Row]:
    """Public activities of the edition, soonest first, from this version's memo."""
    if edition is None:
        return []
    # The rows of an earlier version, with only the activities changed since read again.
    return carried(("public_rows", edition.id), lambda: _build(edition.id),
                   lambda old, changed: _patched(old, edition.id, changed))


def _patched(rows: list[Row], edition_id: int, changed: set[int]) -> list[Row]:
    """A copy of rows with the changed activities read again (gone when no longer public)."""
    if not changed:
        return rows
    patched = [r for r in rows if r.id not in changed]
    for row in _build(edition_id, only=changed):
        insort(patched, row, key=_order)
    return patched


def occurrences_by_day(edition: Edition) -> dict[date, list[tuple[datetime, int, int]]]:
    """(local start, activity id, occurrence id) of every public occurrence by local day,
    in order."""
    return carried(("occurrences_by_day", edition.id), lambda: _by_day(public_rows(edition)),
                   lambda old, changed: _by_day_patched(old, public_rows(edition), changed))


def _by_day_patched(old: dict, rows: list[Row], changed: set[int]) -> dict:
    if not changed:
        return old
    by_day = {day: [key for key in keys if key[1] not in changed] for day, keys in old.items()}
    for row in rows:
        if row.id in changed:
            for o in row.occurrences:
                # Aware datetimes compare as instants: the order of _by_day (UTC start).
                insort(by_day.setdefault(o.local_start.date(), []),
                       (o.local_start, row.id, o.id))
    return {day: keys for day, keys in by_day.items() if keys}


def matching(edition: Edition | None, filters: ActivityFilters, *,
             upcoming: bool | None = None) -> list[Row]:
    """Rows matching the filters, in the order of queries.ordered (best match, soonest first)."""
    rows = _filtered(edition, filters, upcoming)
    if filters.searching and edition is not None:
        found = search_ranks.ranks(edition.id, filters.q)
        # rows come soonest first: a stable sort on the rank keeps that order among equals.
        rows = sorted((r for r in rows if r.id in found), key=lambda r: found[r.id])
    return rows


def _filtered(edition: Edition | None, filters: ActivityFilters, upcoming: bool | None):
    rows = public_rows(edition)
    wanted = [(name, value) for name, value in (
        ("region_code", filters.region), ("mrc_code", filters.mrc),
        ("municipality_code", filters.municipality), ("category", filters.category),
        ("audience", filters.audience), ("format", filters.format),
        ("organization_slug", filters.organization)) if value]
    if wanted:
        # Start from the smallest group of rows sharing one asked value, then check the rest.
        groups = [_grouped(edition, name).get(value, []) for name, value in wanted]
        rows = min(groups, key=len)
        if len(wanted) > 1:
            fields = attrgetter(*(name for name, _ in wanted))
            values = tuple(value for _, value in wanted)
            rows = [r for r in rows if fields(r) == values]
    if filters.date:
        day = date.fromisoformat(filters.date)
        if wanted:
            rows = [r for r in rows if day in r.local_days]
        else:
            rows = _grouped(edition, "local_days").get(day, [])
    if (not filters.all) if upcoming is None else upcoming:
        if rows is public_rows(edition):
            return _upcoming(edition)
        now = utcnow()
        rows = [r for r in rows if r.last_end is not None and r.last_end >= now]
    return rows


def _upcoming(edition: Edition) -> list[Row]:
    """Every row not ended yet, kept while no activity ends (the usual unfiltered list).

    The ended rows are the first ones by end: their number alone tells them, whatever the time.
    """
    ends, kept = memoized(("ends", edition.id), lambda: (
        sorted(r.last_end for r in public_rows(edition) if r.last_end is not None), {}))
    now = utcnow()
    ended = bisect_left(ends, now)
    rows = kept.get(ended)
    if rows is None:
        rows = [r for r in public_rows(edition) if r.last_end is not None and r.last_end >= now]
        kept.clear()  # one count at a time: the clock only moves forward
        kept[ended] = rows
    return rows


def _grouped(edition: Edition, field: str) -> dict:
    """Rows by their value of one field (by each of its days for local_days), in index order."""
    def group() -> dict:
        groups: dict = {}
        for row in public_rows(edition):
            value = getattr(row, field)
            for key in (value if field == "local_days" else (value,)):
                groups.setdefault(key, []).append(row)
        return groups
    return memoized(("grouped", edition.id, field), group)


def _by_day(rows: list[Row]) -> dict[date, list[tuple[datetime, int, int]]]:
    by_day: dict[date, list] = {}
    for row in rows:
        for o in row.occurrences:
            by_day.setdefault(o.local_start.date(), []).append((o.starts_at, row.id, o.id, o))
    # Sorted on the UTC start (the same instants, one tzinfo: no offset lookup per comparison).
    return {day: [(o.local_start, activity_id, occurrence_id)
                  for _, activity_id, occurrence_id, o in sorted(keys, key=_KEY)]
            for day, keys in by_day.items()}


def _local_days(occurrence: Dated, midnights: dict[date, datetime]) -> list[date]:
    """Days of LOCAL_ZONE whose [midnight, next midnight) the occurrence overlaps.

    The rule of the date filter in SQL: starts before the day's end, ends after its start.
    midnights caches each day's start in UTC: a few conversions per build, not per row.
    """
    local_start = occurrence.local_start  # already in LOCAL_ZONE for most activities
    day = (local_start if local_start.tzinfo is LOCAL_ZONE
           else occurrence.starts_at.astimezone(LOCAL_ZONE)).date()
    days = [day]
    while True:
        day += timedelta(days=1)
        midnight = midnights.get(day)
        if midnight is None:
            midnight = midnights[day] = datetime.combine(day, time(0), LOCAL_ZONE).astimezone(UTC)
        if midnight >= occurrence.ends_at:
            return days
        days.append(day)


def _order(row: Row) -> tuple:
    return row.first_start, row.id


def _build(edition_id: int, only: set[int] | None = None) -> list[Row]:
    """Rows of the edition's public activities (of these ids only, when given)."""
    occurrences: dict[int, list[Dated]] = {}
    zones: dict[str, ZoneInfo] = {}
    midnights: dict[date, datetime] = {}
    public = sa.select(Activity.id).where(Activity.edition_id == edition_id, Activity.public)
    if only is not None:
        public = public.where(Activity.id.in_(sorted(only)))
    # Core execution: plain rows, without the ORM's per-row result machinery.
    connection = db.session.connection()
    for occurrence_id, activity_id, starts_at, ends_at, zone in connection.execute(
            sa.select(Occurrence.id, Occurrence.activity_id, Occurrence.starts_at,
                      Occurrence.ends_at, Occurrence.time_zone)
            .where(Occurrence.activity_id.in_(public))
            .order_by(Occurrence.starts_at, Occurrence.id)).all():
        zone_info = zones.get(zone) or zones.setdefault(zone, ZoneInfo(zone))
        occurrences.setdefault(activity_id, []).append(Dated(
            occurrence_id, activity_id, starts_at, ends_at, starts_at.astimezone(zone_info)))
    rows = []
    for (activity_id, state, region, mrc, municipality, category, audience, fmt,
         slug) in connection.execute(
            sa.select(Activity.id, Activity.state, Activity.region_code, Activity.mrc_code,
                      Activity.municipality_code, Activity.category, Activity.audience,
                      Activity.format, Organization.slug)
            .join(Organization, Organization.id == Activity.organization_id)
            .where(Activity.id.in_(public))).all():
        dated = tuple(occurrences.get(activity_id, ()))
        rows.append(Row(activity_id, state == ActivityState.PUBLISHED, region, mrc, municipality,
                        category.value, audience.value, fmt.value, slug,
                        dated[0].starts_at if dated else _NO_DATE,
                        max(o.ends_at for o in dated) if dated else None, dated,
                        frozenset(day for o in dated for day in _local_days(o, midnights))))
    rows.sort(key=_order)
    return rows
