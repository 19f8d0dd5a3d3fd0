"""Placing activities on the map: geocoding on submission, by staff, retries; callers commit."""
import logging

import sqlalchemy as sa
from flask import current_app

from gstp.activities.models import Activity, Format, GeocodingStatus
from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.geo.gazetteer import GeoResult, gazetteer
from gstp.geo.models import District, Municipality
from gstp.geo.services import geocode
from gstp.geo.text import normalise_postal_code

log = logging.getLogger(__name__)
# Degrees: half the last decimal the forms show, about 5 cm.
PIN_TOLERANCE = 5e-7


def _apply(activity: Activity, result: GeoResult) -> None:
    activity.latitude, activity.longitude = result.latitude, result.longitude
    activity.municipality_code = result.municipality_code or activity.municipality_code
    activity.region_code = result.region_code
    activity.mrc_code = result.mrc_code
    activity.district_code = result.district_code
    activity.geocoding_source = result.source


def locate_activity(*, activity: Activity) -> None:
    """Fill coordinates, region, MRC and district; never raises, never blocks a submission.

    Placed → LOCATED; Nominatim failing → PENDING (retried by `gstp regeocode`), with
    the offline answer meanwhile; nothing found → TO_LOCATE for staff.
    """
    if activity.format is Format.VIRTUAL and not activity.address:
        activity.geocoding_status = GeocodingStatus.NOT_APPLICABLE
        return
    try:
        result, retry_later = geocode(activity.address or "", postal_code=activity.postal_code,
                                      municipality_code=activity.municipality_code)
    except Exception:  # noqa: BLE001 - a submission must never fail because of geocoding
        log.exception("geocoding failed for activity %s", activity.id)
        activity.geocoding_status = GeocodingStatus.PENDING
        return
    if result is not None:
        _apply(activity, result)
    if retry_later:
        activity.geocoding_status = GeocodingStatus.PENDING
    elif result is not None:
        activity.geocoding_status = GeocodingStatus.LOCATED
    else:
        activity.geocoding_status = GeocodingStatus.TO_LOCATE


def offline_place(address: str, *, postal_code: str | None,
                  municipality_code: str | None) -> GeoResult | None:
    """Where the offline gazetteer puts an address (no outside service): fast, for imports."""
    gaz = gazetteer()
    found = gaz.geocode(address, postal_code=postal_code) if address or postal_code else None
    muni = gaz.municipalities.get(municipality_code or "")
    if muni is not None and (found is None or found.municipality_code != muni.code):
        found = gaz.result_for(muni, postal_code=postal_code, source="municipality")
    return found


def locate_offline(*, activity: Activity) -> None:
    """Place an imported activity at once from the offline gazetteer."""
    # With Nominatim configured it stays PENDING: `gstp regeocode` finds the street address
    # later, one at a time, so an import never waits on hundreds of outside requests.
    if activity.format is Format.VIRTUAL and not activity.address:
        activity.geocoding_status = GeocodingStatus.NOT_APPLICABLE
        return
    result = offline_place(activity.address, postal_code=activity.postal_code,
                           municipality_code=activity.municipality_code)
    if result is not None:
        _apply(activity, result)
    if current_app.config.get("GEOCODER") == "nominatim" and activity.address:
        activity.geocoding_status = GeocodingStatus.PENDING
    else:
        activity.geocoding_status = (GeocodingStatus.LOCATED if result is not None
                                     else GeocodingStatus.TO_LOCATE)


class RelocationError(ValueError):
    """Staff gave a point outside Québec or an unknown municipality / district."""


def relocate_activity(*, activity: Activity, actor, latitude: float | None = None,
                      longitude: float | None = None, municipality_code: str | None = None,
                      district_code: str | None = None, source: str = "staff") -> Activity:
    """Staff or the organizer place an activity by hand (pin or municipality): MANUAL.

    Region and MRC follow the point (their polygons); the district follows the
    municipality and postal code unless given.
    """
    gaz = gazetteer()
    before = {"latitude": activity.latitude, "longitude": activity.longitude,
              "municipality_code": activity.municipality_code,
              "district_code": activity.district_code,
              "status": activity.geocoding_status.value}
    if latitude is None or longitude is None:
        muni = gaz.municipalities.get(municipality_code or "")
        if muni is None:
            raise RelocationError("municipality")
        latitude, longitude = muni.latitude, muni.longitude
    region_code, mrc_code = gaz.locate_point(latitude, longitude)
    if region_code is None:
        raise RelocationError("point")
    if municipality_code and db.session.get(Municipality, municipality_code) is None:
        raise RelocationError("municipality")
    if district_code and db.session.get(District, district_code) is None:
        raise RelocationError("district")
    activity.latitude, activity.longitude = latitude, longitude
    activity.region_code, activity.mrc_code = region_code, mrc_code
    same_municipality = municipality_code in (None, activity.municipality_code)
    if municipality_code:
        activity.municipality_code = municipality_code
    if district_code is None and activity.municipality_code:
        muni = gaz.municipalities.get(activity.municipality_code)
        # Forms store "H2L 1L9"; the postal code table is keyed "H2L1L9".
        postal_code = normalise_postal_code(activity.postal_code)
        district_code = gaz.district_for(muni, postal_code) if muni else None
        if district_code is None and same_municipality:
            # A pin moved within its municipality says nothing about the district.
            district_code = activity.district_code
    activity.district_code = district_code or None
    activity.geocoding_status = GeocodingStatus.MANUAL
    activity.geocoding_source = source
    db.session.flush()
    record_audit(actor=actor, action="activity.relocated", target=activity, details={
        "before": before,
        "after": {"latitude": latitude, "longitude": longitude,
                  "municipality_code": activity.municipality_code,
                  "region_code": region_code, "mrc_code": mrc_code,
                  "district_code": activity.district_code},
    })
    return activity


def choose_district(*, activity: Activity, actor, district_code: str) -> Activity:
    """Staff set the district of an activity in a city over several districts (one click)."""
    if district_code not in gazetteer().districts_of(activity.municipality_code):
        raise RelocationError("district")
    before = activity.district_code
    activity.district_code = district_code
    db.session.flush()
    record_audit(actor=actor, action="activity.district_chosen", target=activity,
                 details={"before": {"district_code": before},
                          "after": {"district_code": district_code}})
    return activity


def pin_moved(activity: Activity, pin: tuple[float, float] | None) -> bool:
    """Whether a pin from a form differs from the activity's point (forms round to 6 places).

    A virtual activity has no place: a pin left on its form is ignored.
    """
    if pin is None or activity.format is Format.VIRTUAL:
        return False
    if activity.latitude is None or activity.longitude is None:
        return True
    return max(abs(pin[0] - activity.latitude), abs(pin[1] - activity.longitude)) > PIN_TOLERANCE


def regeocode(*, include_to_locate: bool = False, limit: int | None = None) -> dict[str, int]:
    """Try again every PENDING activity (and TO_LOCATE ones if asked); counts by outcome."""
    statuses = [GeocodingStatus.PENDING]
    if include_to_locate:
        statuses.append(GeocodingStatus.TO_LOCATE)
    query = sa.select(Activity).where(Activity.geocoding_status.in_(statuses)).order_by(Activity.id)
    summary = {"tried": 0} | {status.value: 0 for status in GeocodingStatus}
    for activity in db.session.scalars(query.limit(limit)).all():
        locate_activity(activity=activity)
        summary["tried"] += 1
        summary[activity.geocoding_status.value] += 1
    db.session.flush()
    return summary
