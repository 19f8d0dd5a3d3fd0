"""Placing activities on the map; callers commit."""
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
