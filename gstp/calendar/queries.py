"""Read-only queries behind the public pages, feeds and open data."""
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from gstp.activities.models import Activity, Occurrence
from gstp.calendar import index, search_ranks
from gstp.calendar.carry import carried, page_reader, page_reads
from gstp.calendar.filters import ActivityFilters, haversine_km
from gstp.calendar.memo import memoized
from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.extensions import db
from gstp.organizations.models import Organization

PER_PAGE = 20


@dataclass
class Page:
    """One page of a list, with what the pagination links need (as Flask-SQLAlchemy's)."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def public_edition() -> Edition | None:
    """current_edition(), found once per public data version and day (no query the rest of
    the time): the instance is kept detached and merged into each request's session."""
    def find() -> Edition | None:
        edition = current_edition()
        if edition is not None:
            db.session.expunge(edition)
        return edition

    kept = memoized(("current_edition", date.today()), find)
    return None if kept is None else db.session.merge(kept, load=False)


def home_summary(edition: Edition | None = None) -> dict:
    """Current edition with its number of published activities and regions reached."""
    edition = edition or current_edition()
    if edition is None:
        return {"edition": None, "activity_count": 0, "region_count": 0}
    activity_count, region_count = page_reads("home counts", edition.id)
    return {"edition": edition, "activity_count": activity_count, "region_count": region_count}


@page_reader("home counts")
def _home_counts(edition_id: int) -> tuple[int, int]:
    return memoized(("home_summary", edition_id),
                    lambda: _published_counts(index.EditionRef(edition_id)))


def _published_counts(edition: "index.EditionRef") -> tuple[int, int]:
    published = [row for row in index.public_rows(edition) if row.published]
    return len(published), len({row.region_code for row in published} - {None})


def edition_select(edition: Edition | None, filters: ActivityFilters, *,
                   upcoming: bool | None = None) -> sa.Select:
    """Public activities of an edition matching the filters (no ordering)."""
    stmt = sa.select(Activity).where(Activity.public)
    stmt = stmt.where(Activity.edition_id == (edition.id if edition else None))
    return filters.apply(stmt, upcoming=upcoming)


def first_start():
    """Correlated subquery: the first start of an activity, used for ordering."""
    return (sa.select(sa.func.min(Occurrence.starts_at))
            .where(Occurrence.activity_id == Activity.id).scalar_subquery())


def ordered(stmt: sa.Select, filters: ActivityFilters) -> sa.Select:
    """Nearest first when a place is given, else best match to the search text, else soonest."""
    if filters.place is not None:
        return stmt.order_by(filters.nearness_expression(), Activity.id)
    if filters.searching:
        return stmt.order_by(filters.relevance(), first_start(), Activity.id)
    return stmt.order_by(first_start(), Activity.id)


def list_page(filters: ActivityFilters, *, page: int, edition: Edition | None = None):
    """One page of the activity list, with the distance of each activity when asked."""
    edition = edition or current_edition()
    if index.supports(filters):
        ids = id_page(filters, page=page, edition=edition)
        pagination = Page(activities_by_id(ids.items), ids.total, page, PER_PAGE)
    else:
        stmt = ordered(edition_select(edition, filters), filters).options(*_SHOWN)
        pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)
    distances = {}
    if filters.place is not None:
        place = filters.place
        # None: in the visitor's municipality, where no true distance is known.
        distances = {a.id: None if filters.in_same_municipality(a) else haversine_km(
            place.latitude, place.longitude, a.latitude, a.longitude) for a in pagination.items}
    return pagination, distances


def id_page(filters: ActivityFilters, *, page: int, edition: Edition | None) -> Page:
    """One page of the activity list as ids, from the index (see index.supports)."""
    if filters.searching and edition is not None and search_ranks.carried_by_lexemes():
        # Only activities matching q are listed: carried while no change touches one.
        rows = index.matching(_ref(edition.id), filters)
        search_ranks.page_searches(filters.q, edition.id, [row.id for row in rows])
        return _paged(rows, page)
    return page_reads("id page", filters.to_args(), page, edition.id if edition else None)


@page_reader("id page")
def _id_page(filter_args: dict, page: int, edition_id: int | None) -> Page:
    return _paged(index.matching(_ref(edition_id), ActivityFilters.from_args(filter_args)), page)


def _paged(rows: list, page: int) -> Page:
    start = (page - 1) * PER_PAGE
    return Page([r.id for r in rows[start:start + PER_PAGE]], len(rows), page, PER_PAGE)


def next_activity_ids(edition: Edition | None, filters: ActivityFilters, *,
                      limit: int) -> list[int]:
    """The first upcoming published activities of the region filter, soonest first."""
    return page_reads("next activities", filters.to_args(), edition.id if edition else None,
                      limit)


@page_reader("next activities")
def _next_activity_ids(filter_args: dict, edition_id: int | None, limit: int) -> list[int]:
    rows = index.matching(_ref(edition_id), ActivityFilters.from_args(filter_args),
                          upcoming=True)
    return [r.id for r in rows if r.published][:limit]


def _ref(edition_id: int | None) -> "index.EditionRef | None":
    return None if edition_id is None else index.EditionRef(edition_id)


# What a summary of an activity shows, in two queries (the many-to-ones joined).
_SHOWN = (selectinload(Activity.occurrences), joinedload(Activity.organization),
          joinedload(Activity.municipality))


def activities_by_id(ids: list[int]) -> list[Activity]:
    """The activities of these ids in this order, with what a summary shows."""
    if not ids:
        return []
    loaded = {a.id: a for a in db.session.scalars(
        sa.select(Activity).where(Activity.id.in_(ids), Activity.public).options(*_SHOWN))}
    return [loaded[i] for i in ids if i in loaded]


def occurrences_by_id(ids: list[int]) -> list[Occurrence]:
    """The occurrences of public activities of these ids in this order, with what the week
    calendar shows of their activity."""
    if not ids:
        return []
    loaded = {o.id: o for o in db.session.scalars(
        sa.select(Occurrence).join(Occurrence.activity)
        .where(Occurrence.id.in_(ids), Activity.public)
        .options(joinedload(Occurrence.activity).joinedload(Activity.municipality)))}
    return [loaded[i] for i in ids if i in loaded]


def all_matching(filters: ActivityFilters, *, edition: Edition | None = None,
                 upcoming: bool | None = None) -> list[Activity]:
    """Every matching activity with what feeds and exports show, in one eager-loaded query."""
    edition = edition or current_edition()
    stmt = ordered(edition_select(edition, filters, upcoming=upcoming), filters).options(
        selectinload(Activity.occurrences), selectinload(Activity.organization),
        selectinload(Activity.municipality), selectinload(Activity.region))
    return list(db.session.scalars(stmt))


def newest_published(filters: ActivityFilters, *, edition: Edition | None,
                     limit: int) -> list[Activity]:
    """The most recently published activities matching the filters (past dates too)."""
    stmt = (edition_select(edition, filters, upcoming=False)
            .order_by(Activity.published_at.desc(), Activity.id.desc()).limit(limit)
            .options(selectinload(Activity.organization), selectinload(Activity.municipality)))
    return list(db.session.scalars(stmt))


def public_activity(activity_id: int) -> Activity | None:
    """An activity anyone may see, or None."""
    return db.session.scalar(
        sa.select(Activity).where(Activity.id == activity_id, Activity.public)
        .options(selectinload(Activity.occurrences), joinedload(Activity.organization),
                 joinedload(Activity.region), joinedload(Activity.municipality)))


def organization_activity_ids(organization_id: int, *, exclude: int | None = None,
                              limit: int | None = None) -> list[int]:
    """Public activities of an organization, newest edition first, soonest first, as a page
    being built reads them (carry.page_reads)."""
    return page_reads("organization activities", organization_id, exclude, limit)


@page_reader("organization activities")
def _organization_activity_ids(organization_id: int, exclude: int | None,
                               limit: int | None) -> list[int]:
    def find() -> list[int]:
        return list(db.session.scalars(
            sa.select(Activity.id).join(Edition)
            .where(Activity.organization_id == organization_id, Activity.public)
            .order_by(Edition.year.desc(), first_start(), Activity.id)))

    def bring_forward(old: list[int], changed: set[int]) -> list[int] | None:
        # A changed activity of the organization not listed may now be listed.
        return None if changed & set(old) or organization_id in _organizations_of(changed) \
            else old

    ids = [i for i in carried(("organization_activity_ids", organization_id), find,
                              bring_forward) if i != exclude]
    return ids[:limit] if limit else ids


def _organizations_of(changed: set[int]) -> set[int]:
    """Organizations of the changed activities that still exist (a deleted one was listed,
    so caught, or changes nothing listed), each activity read once per version."""
    known = memoized(("organization_of",), dict)
    missing = sorted(changed - known.keys())
    if missing:
        known.update((activity_id, organization_id) for activity_id, organization_id
                     in db.session.execute(sa.select(Activity.id, Activity.organization_id)
                                           .where(Activity.id.in_(missing))))
        known.update((i, None) for i in missing if i not in known)
    return {known[i] for i in changed} - {None}


def organization_by_slug(slug: str) -> Organization | None:
    return db.session.scalar(sa.select(Organization).where(Organization.slug == slug))


def edition_days(edition: Edition | None) -> list[date]:
    """Every day of the edition week."""
    if edition is None:
        return []
    return [edition.starts_on + timedelta(days=n)
            for n in range((edition.ends_on - edition.starts_on).days + 1)]
