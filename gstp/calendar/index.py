"""In-process index of an edition's public activities, built once per public data version.

The list, week, day and home pages filter, count and order these few columns in Python
instead of asking the database to scan, sort and count every activity on each request; only
the shown page is then loaded. Text search and "near me" still go to the database
(`supports`). The rules mirror ActivityFilters.apply and queries.ordered, and the tests
compare both on the same data.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState, Occurrence
from gstp.calendar.filters import LOCAL_ZONE, ActivityFilters
from gstp.calendar.memo import memoized
from gstp.db import utcnow
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.organizations.models import Organization

# The same far-future key as PostgreSQL's NULLS LAST for an activity without any date.
_NO_DATE = datetime.max.replace(tzinfo=ZoneInfo("UTC"))


@dataclass(frozen=True, slots=True)
class Dated:
    """One occurrence: its ids, UTC bounds and local start (in its own zone)."""

    id: int
    activity_id: int
    starts_at: datetime
    ends_at: datetime
    local_start: datetime


@dataclass(frozen=True, slots=True)
class Row:
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


def supports(filters: ActivityFilters) -> bool:
    """Whether the index can answer these filters (text search and places need SQL)."""
    return not filters.searching and filters.place is None


def public_rows(edition: Edition | None) -> list[Row]:
    """Public activities of the edition, soonest first, from this version's memo."""
    if edition is None:
        return []
    return memoized(("public_rows", edition.id), lambda: _build(edition.id))


def matching(edition: Edition | None, filters: ActivityFilters, *,
             upcoming: bool | None = None) -> list[Row]:
    """Rows matching the filters, in the order of queries.ordered (soonest first)."""
    rows = public_rows(edition)
    wanted = [(name, value) for name, value in (
        ("region_code", filters.region), ("mrc_code", filters.mrc),
        ("municipality_code", filters.municipality), ("category", filters.category),
        ("audience", filters.audience), ("format", filters.format),
        ("organization_slug", filters.organization)) if value]
    if wanted:
        rows = [r for r in rows if all(getattr(r, name) == value for name, value in wanted)]
    if filters.date:
        day = date.fromisoformat(filters.date)
        start = datetime.combine(day, time(0), LOCAL_ZONE)
        end = datetime.combine(day + timedelta(days=1), time(0), LOCAL_ZONE)
        rows = [r for r in rows
                if any(o.starts_at < end and o.ends_at > start for o in r.occurrences)]
    if (not filters.all) if upcoming is None else upcoming:
        now = utcnow()
        rows = [r for r in rows if r.last_end is not None and r.last_end >= now]
    return rows


def _build(edition_id: int) -> list[Row]:
    occurrences: dict[int, list[Dated]] = {}
    zones: dict[str, ZoneInfo] = {}
    public = sa.select(Activity.id).where(
        Activity.edition_id == edition_id, Activity.state.in_(
            (ActivityState.PUBLISHED, ActivityState.CANCELLED)))
    for occurrence_id, activity_id, starts_at, ends_at, zone in db.session.execute(
            sa.select(Occurrence.id, Occurrence.activity_id, Occurrence.starts_at,
                      Occurrence.ends_at, Occurrence.time_zone)
            .where(Occurrence.activity_id.in_(public))
            .order_by(Occurrence.starts_at, Occurrence.id)):
        zone_info = zones.get(zone) or zones.setdefault(zone, ZoneInfo(zone))
        occurrences.setdefault(activity_id, []).append(Dated(
            occurrence_id, activity_id, starts_at, ends_at, starts_at.astimezone(zone_info)))
    rows = []
    for (activity_id, state, region, mrc, municipality, category, audience, fmt,
         slug) in db.session.execute(
            sa.select(Activity.id, Activity.state, Activity.region_code, Activity.mrc_code,
                      Activity.municipality_code, Activity.category, Activity.audience,
                      Activity.format, Organization.slug)
            .join(Organization, Organization.id == Activity.organization_id)
            .where(Activity.id.in_(public))):
        dated = tuple(occurrences.get(activity_id, ()))
        rows.append(Row(activity_id, state == ActivityState.PUBLISHED, region, mrc, municipality,
                        category.value, audience.value, fmt.value, slug,
                        dated[0].starts_at if dated else _NO_DATE,
                        max(o.ends_at for o in dated) if dated else None, dated))
    rows.sort(key=lambda r: (r.first_start, r.id))
    return rows
