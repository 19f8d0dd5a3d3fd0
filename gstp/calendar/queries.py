"""Read-only queries behind the public pages."""
import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from gstp.stats.editions import current_edition


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
