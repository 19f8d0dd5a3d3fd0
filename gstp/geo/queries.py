"""Read-only choices of reference places for forms."""
import sqlalchemy as sa

from gstp.extensions import db
from gstp.geo.models import District, Municipality
from gstp.geo.reference import INHABITED_DESIGNATION_CODES


def municipality_choices() -> list[tuple[str, str]]:
    """Local municipalities and reserves as (code, "Name (region)") for a select."""
    rows = db.session.execute(
        sa.select(Municipality.code, Municipality.name, Municipality.region_code)
        .where(Municipality.designation_code.in_(INHABITED_DESIGNATION_CODES))
        .order_by(Municipality.name, Municipality.code))
    return [(code, f"{name} ({region})") for code, name, region in rows]


def district_choices() -> list[tuple[str, str]]:
    """The 127 districts as (code, name) for a select."""
    rows = db.session.execute(sa.select(District.code, District.name).order_by(District.name))
    return [(code, name) for code, name in rows]
