"""Read-only queries behind the public pages, feeds and open data."""
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gstp.activities.models import PUBLIC_STATES, Activity, ActivityState, Occurrence
from gstp.calendar.filters import ActivityFilters, haversine_km
from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.extensions import db
from gstp.organizations.models import Organization

PER_PAGE = 20


def home_summary() -> dict:
    """Current edition with its number of published activities and regions reached."""
    edition = current_edition()
    if edition is None:
        return {"edition": None, "activity_count": 0, "region_count": 0}
    published = sa.and_(Activity.edition_id == edition.id,
                        Activity.state == ActivityState.PUBLISHED)
    activity_count, region_count = db.session.execute(
        sa.select(sa.func.count(Activity.id),
                  sa.func.count(sa.distinct(Activity.region_code))).where(published)
    ).one()
    return {"edition": edition, "activity_count": activity_count, "region_count": region_count}


def is_public():
    """WHERE clause of activities anyone may see."""
    return Activity.state.in_(PUBLIC_STATES)


def edition_select(edition: Edition | None, filters: ActivityFilters, *,
                   upcoming: bool | None = None) -> sa.Select:
    """Public activities of an edition matching the filters (no ordering)."""
    stmt = sa.select(Activity).where(is_public())
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
    stmt = ordered(edition_select(edition, filters), filters).options(
        selectinload(Activity.occurrences), selectinload(Activity.organization),
        selectinload(Activity.municipality))
    pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)
    distances = {}
    if filters.place is not None:
        place = filters.place
        # None: in the visitor's municipality, where no true distance is known.
        distances = {a.id: None if filters.in_same_municipality(a) else haversine_km(
            place.latitude, place.longitude, a.latitude, a.longitude) for a in pagination.items}
    return pagination, distances


def next_activities(edition: Edition | None, filters: ActivityFilters, *,
                    limit: int) -> list[Activity]:
    """The first upcoming activities matching the filters, soonest first, none cancelled."""
    stmt = ordered(edition_select(edition, filters, upcoming=True)
                   .where(Activity.state == ActivityState.PUBLISHED), filters).options(
        selectinload(Activity.occurrences), selectinload(Activity.organization),
        selectinload(Activity.municipality)).limit(limit)
    return list(db.session.scalars(stmt))


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
        sa.select(Activity).where(Activity.id == activity_id, is_public())
        .options(selectinload(Activity.occurrences), selectinload(Activity.organization)))


def organization_activities(organization_id: int, *, exclude: int | None = None,
                            limit: int | None = None) -> list[Activity]:
    """Public activities of an organization, newest edition first, soonest first."""
    stmt = (sa.select(Activity).join(Edition)
            .where(Activity.organization_id == organization_id, is_public())
            .order_by(Edition.year.desc(), first_start(), Activity.id)
            .options(selectinload(Activity.occurrences)))
    if exclude is not None:
        stmt = stmt.where(Activity.id != exclude)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def organization_by_slug(slug: str) -> Organization | None:
    return db.session.scalar(sa.select(Organization).where(Organization.slug == slug))


def edition_days(edition: Edition | None) -> list[date]:
    """Every day of the edition week."""
    if edition is None:
        return []
    return [edition.starts_on + timedelta(days=n)
            for n in range((edition.ends_on - edition.starts_on).days + 1)]
