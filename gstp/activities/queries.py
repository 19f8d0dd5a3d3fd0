"""Read-only listings of activities for organizers and staff."""
from sqlalchemy.orm import selectinload

from gstp.activities.models import Activity, ActivityState
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Municipality


def activity_for(user, activity_id: int) -> Activity | None:
    """The activity when this user may manage it; None (→ 404) for a foreign one."""
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        return None
    if user.is_staff or (user.organization_id is not None
                         and activity.organization_id == user.organization_id):
        return activity
    return None


def organization_activities(*, organization_id: int, edition_id: int | None, current: bool):
    """An organization's activities of the current edition, or of the past ones."""
    query = (db.select(Activity).join(Activity.edition)
             .where(Activity.organization_id == organization_id)
             .options(selectinload(Activity.occurrences), selectinload(Activity.edition))
             .order_by(Edition.year.desc(), Activity.created_at.desc()))
    if edition_id is not None:
        query = query.where((Activity.edition_id == edition_id) if current
                            else (Activity.edition_id != edition_id))
    return db.session.scalars(query).all()


def moderation_query(*, state: str | None = None, region: str | None = None,
                     category: str | None = None, organization_id: int | None = None,
                     edition_id: int | None = None):
    """Activities for the moderation queue, oldest submission first."""
    query = (db.select(Activity)
             .options(selectinload(Activity.organization), selectinload(Activity.occurrences),
                      selectinload(Activity.municipality))
             .order_by(Activity.created_at, Activity.id))
    if state in {s.value for s in ActivityState}:
        query = query.where(Activity.state == ActivityState(state))
    if region:
        region_of_municipality = (db.select(Municipality.region_code)
                                  .where(Municipality.code == Activity.municipality_code)
                                  .scalar_subquery())
        query = query.where(db.or_(Activity.region_code == region,
                                   region_of_municipality == region))
    if category:
        query = query.where(Activity.category == category)
    if organization_id:
        query = query.where(Activity.organization_id == organization_id)
    if edition_id:
        query = query.where(Activity.edition_id == edition_id)
    return query
