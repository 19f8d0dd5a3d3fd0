"""Read-only listings of the geography pages."""
import sqlalchemy as sa

from gstp.activities.models import Activity, GeocodingStatus
from gstp.extensions import db
from gstp.geo.models import District, Municipality
from gstp.geo.reference import LOCAL_DESIGNATION_CODES

WAITING = (GeocodingStatus.PENDING, GeocodingStatus.TO_LOCATE)


def activities_to_locate(*, page: int, per_page: int = 20):
    """Activities staff must place (not yet placed or impossible to place), oldest first."""
    query = (sa.select(Activity).where(Activity.geocoding_status.in_(WAITING))
             .order_by(Activity.created_at, Activity.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def municipality_choices() -> list[tuple[str, str]]:
    """Local municipalities as (code, "Name (region)") for a select."""
    rows = db.session.execute(
        sa.select(Municipality.code, Municipality.name, Municipality.region_code)
        .where(Municipality.designation_code.in_(LOCAL_DESIGNATION_CODES))
        .order_by(Municipality.name, Municipality.code))
    return [(code, f"{name} ({region})") for code, name, region in rows]


def district_choices() -> list[tuple[str, str]]:
    """The 127 districts as (code, name) for a select."""
    rows = db.session.execute(sa.select(District.code, District.name).order_by(District.name))
    return [(code, name) for code, name in rows]
