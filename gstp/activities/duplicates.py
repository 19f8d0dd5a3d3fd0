"""Activities that look like one already registered: same edition, same organization or
municipality, a similar title and a shared day. Read-only."""
import re
from datetime import date
from difflib import SequenceMatcher
from zoneinfo import ZoneInfo

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.organizations.services import fold_text

# Two folded titles this alike (difflib ratio) are taken for the same activity; checked on
# real near-misses: « Heure du conte » / « L'heure du conte! » 0.93, « Heure du conte » /
# « Heure des parents » 0.65.
SIMILAR_RATIO = 0.8
# A title inside another counts only when long enough to say something (« Fête » does not).
CONTAINED_MIN = 10
LIVE_STATES = (ActivityState.SUBMITTED, ActivityState.PUBLISHED)


def similar_names(first: str, second: str) -> bool:
    """Names alike once accents, case and punctuation are ignored."""
    a, b = fold_text(first or ""), fold_text(second or "")
    if not a or not b:
        return False
    numbers_a, numbers_b = set(re.findall(r"\d+", a)), set(re.findall(r"\d+", b))
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False  # « Atelier 1 » and « Atelier 2 » are two sessions, not one twice
    if a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= CONTAINED_MIN and shorter in longer


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
