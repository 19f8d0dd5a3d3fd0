"""Read-only listing of the activities staff must place."""
import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState, GeocodingStatus
from gstp.extensions import db
from gstp.geo.gazetteer import gazetteer

WAITING = (GeocodingStatus.PENDING, GeocodingStatus.TO_LOCATE)


def activities_to_locate(*, page: int, per_page: int = 20):
    """Activities staff must place (not yet placed or impossible to place), oldest first."""
    query = (sa.select(Activity).where(Activity.geocoding_status.in_(WAITING))
             .order_by(Activity.created_at, Activity.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def without_district_query(*, municipality_codes=None):
    """Placed, live activities of a city over several districts that have none yet."""
    codes = gazetteer().split_city_codes
    if municipality_codes is not None:
        codes = codes & set(municipality_codes)
    return sa.select(Activity).where(
        Activity.district_code.is_(None), Activity.municipality_code.in_(sorted(codes)),
        Activity.geocoding_status.in_((GeocodingStatus.LOCATED, GeocodingStatus.MANUAL)),
        Activity.state.in_((ActivityState.SUBMITTED, ActivityState.PUBLISHED)))


def activities_without_district(*, page: int, per_page: int = 20):
    """The « circonscription à choisir » list of staff, oldest first."""
    query = without_district_query().order_by(Activity.created_at, Activity.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
