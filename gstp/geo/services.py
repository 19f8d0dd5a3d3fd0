"""Placing activities and visitors' places on the map; callers commit."""
from dataclasses import dataclass

from gstp.activities.models import Activity, Format, GeocodingStatus
from gstp.extensions import db
from gstp.geo.models import Municipality


def locate_activity(*, activity: Activity) -> None:
    """Fill coordinates, region, MRC and district; never raises, never blocks a submission.

    An activity that cannot be placed is left "to locate" for staff.
    """
    if activity.format is Format.VIRTUAL and not activity.address:
        activity.geocoding_status = GeocodingStatus.NOT_APPLICABLE
        return
    municipality = (db.session.get(Municipality, activity.municipality_code)
                    if activity.municipality_code else None)
    if municipality is None or municipality.latitude is None:
        activity.geocoding_status = GeocodingStatus.TO_LOCATE
        return
    activity.latitude, activity.longitude = municipality.latitude, municipality.longitude
    activity.region_code = municipality.region_code
    activity.mrc_code = municipality.mrc_code
    activity.district_code = municipality.district_code
    activity.geocoding_status = GeocodingStatus.LOCATED
    activity.geocoding_source = "municipality"


@dataclass(frozen=True)
class Place:
    """A point found for a visitor's text (municipality name or postal code)."""

    label: str
    latitude: float
    longitude: float
    municipality_code: str | None
    region_code: str | None


def resolve_place(text: str) -> Place | None:
    """The place a visitor means by "near me" text; None when nothing matches."""
    name = (text or "").strip()
    if not name:
        return None
    municipality = db.session.scalar(
        db.select(Municipality)
        .where(db.func.lower(Municipality.name) == name.lower(),
               Municipality.latitude.is_not(None))
        .order_by(Municipality.population.desc().nulls_last()).limit(1)
    )
    if municipality is None:
        return None
    return Place(municipality.name, municipality.latitude, municipality.longitude,
                 municipality.code, municipality.region_code)
