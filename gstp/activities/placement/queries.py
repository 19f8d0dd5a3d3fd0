"""Read-only listing of the activities staff must place."""
import sqlalchemy as sa

from gstp.activities.models import Activity, GeocodingStatus
from gstp.extensions import db

WAITING = (GeocodingStatus.PENDING, GeocodingStatus.TO_LOCATE)


def activities_to_locate(*, page: int, per_page: int = 20):
    """Activities staff must place (not yet placed or impossible to place), oldest first."""
    query = (sa.select(Activity).where(Activity.geocoding_status.in_(WAITING))
             .order_by(Activity.created_at, Activity.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
