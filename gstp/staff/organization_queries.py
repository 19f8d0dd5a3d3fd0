"""Read-only listings of organizations for staff: search, editions taken part in, history."""
import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.organizations.models import Organization, User
from gstp.organizations.similarity import similar_names

TAKING_PART = (ActivityState.PUBLISHED, ActivityState.CANCELLED, ActivityState.SUBMITTED)


def organizations_query(*, text: str = "", region_code: str | None = None):
    """Organizations not merged away, by name; `text` matches the name or the municipality."""
    query = (sa.select(Organization).outerjoin(
        Municipality, Municipality.code == Organization.municipality_code)
        .where(Organization.merged_into_id.is_(None)).order_by(Organization.name))
    if text:
        query = query.where(sa.or_(
            sa.func.lower(Organization.name).contains(text.lower(), autoescape=True),
            sa.func.lower(Municipality.name).contains(text.lower(), autoescape=True)))
    if region_code:
        query = query.where(Organization.region_code == region_code)
    return query


def participation(organization_ids: list[int]) -> dict[int, list[int]]:
    """The years each organization took part in (an activity not refused), oldest first."""
    rows = db.session.execute(
        sa.select(Activity.organization_id, Edition.year).join(Edition)
        .where(Activity.organization_id.in_(organization_ids),
               Activity.state.in_(TAKING_PART)).distinct()
        .order_by(Edition.year)).all()
    years: dict[int, list[int]] = {}
    for organization_id, year in rows:
        years.setdefault(organization_id, []).append(year)
    return years


def member_counts(organization_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(User.organization_id, sa.func.count()).where(
            User.organization_id.in_(organization_ids)).group_by(User.organization_id)).all())


def activities_by_edition(organization_id: int) -> list[tuple[Edition, list[Activity]]]:
    """The organization's activities, newest edition first."""
    activities = db.session.scalars(
        sa.select(Activity).join(Edition).where(Activity.organization_id == organization_id)
        .order_by(Edition.year.desc(), Activity.title)).all()
    grouped: dict[int, tuple[Edition, list[Activity]]] = {}
    for activity in activities:
        grouped.setdefault(activity.edition_id, (activity.edition, []))[1].append(activity)
    return list(grouped.values())


def look_alikes(organization: Organization) -> list[Organization]:
    """Other organizations of the same region whose name looks the same: merge candidates."""
    query = sa.select(Organization).where(Organization.id != organization.id,
                                          Organization.merged_into_id.is_(None))
    if organization.region_code:
        query = query.where(Organization.region_code == organization.region_code)
    return [other for other in db.session.scalars(query.order_by(Organization.name).limit(2000))
            if similar_names(organization.name, other.name)]
