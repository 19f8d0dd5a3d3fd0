"""Activities that look like one already registered: same edition, same organization or
municipality, a similar title and a shared day. Read-only."""
from datetime import date
from zoneinfo import ZoneInfo

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.organizations.similarity import similar_names

LIVE_STATES = (ActivityState.SUBMITTED, ActivityState.PUBLISHED)


def activity_days(activity: Activity) -> set[date]:
    """The local days an activity takes place on."""
    zone = ZoneInfo(activity.time_zone)
    return {o.starts_at.astimezone(zone).date() for o in activity.occurrences}


def likely_duplicates(*, edition_id: int, organization_id: int | None,
                      municipality_code: str | None, title: str, days: set[date],
                      exclude_id: int | None = None) -> list[Activity]:
    """Live activities of the edition that look like this one, oldest first."""
    same_place = [Activity.organization_id == organization_id]
    if municipality_code:
        same_place.append(Activity.municipality_code == municipality_code)
    query = (db.select(Activity)
             .where(Activity.edition_id == edition_id, Activity.state.in_(LIVE_STATES),
                    db.or_(*same_place))
             .order_by(Activity.id))
    if exclude_id is not None:
        query = query.where(Activity.id != exclude_id)
    return [other for other in db.session.scalars(query)
            if similar_names(title, other.title) and days & activity_days(other)]


def duplicates_of(activity: Activity) -> list[Activity]:
    """Other live activities that look like `activity` (moderation queue)."""
    return likely_duplicates(edition_id=activity.edition_id,
                             organization_id=activity.organization_id,
                             municipality_code=activity.municipality_code,
                             title=activity.title, days=activity_days(activity),
                             exclude_id=activity.id)
