"""Placing activities and visitors' places on the map; callers commit."""
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from gstp.activities.models import Activity, Format, GeocodingStatus
from gstp.extensions import db
from gstp.geo import nominatim
from gstp.geo.gazetteer import GeoResult, gazetteer
from gstp.geo.models import District, Municipality
from gstp.staff.services import record_audit

log = logging.getLogger(__name__)


def geocode(text: str, *, postal_code: str | None = None,
            municipality_code: str | None = None) -> tuple[GeoResult | None, bool]:
    """(result, retry_later) for an address with the configured geocoder; never raises.

    retry_later is true when Nominatim was wanted but failed: the offline answer (if
    any) is then only a stand-in.
    """
    offline = gazetteer().geocode(text, postal_code=postal_code) if text or postal_code else None
    if municipality_code and (offline is None or offline.municipality_code != municipality_code):
        # The municipality chosen in the form beats a guess from the free text.
        muni = gazetteer().municipalities.get(municipality_code)
        if muni is not None:
            offline = gazetteer().result_for(muni, postal_code=postal_code, source="municipality")
    if current_app.config.get("GEOCODER") != "nominatim" or not text:
        return offline, False
    query = f"{text} {postal_code}" if postal_code and postal_code not in text else text
    try:
        found = nominatim.to_result(nominatim.lookup(query))
    except Exception as error:  # noqa: BLE001 - any outside failure falls back offline
        log.warning("Nominatim failed for %r: %s", query, error)
        return offline, True
    if found is not None and offline is not None and found.region_code != offline.region_code:
        # A street of the same name elsewhere: the municipality the text names wins.
        return offline, False
    return found or offline, False


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


class RelocationError(ValueError):
    """Staff gave a point outside Québec or an unknown municipality / district."""


def relocate_activity(*, activity: Activity, actor, latitude: float | None = None,
                      longitude: float | None = None, municipality_code: str | None = None,
                      district_code: str | None = None) -> Activity:
    """Staff place an activity by hand (pin or municipality): the one owner of MANUAL."""
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
    if municipality_code:
        activity.municipality_code = municipality_code
    if district_code is None and activity.municipality_code:
        muni = gaz.municipalities.get(activity.municipality_code)
        district_code = gaz.district_for(muni, activity.postal_code) if muni else None
    activity.district_code = district_code or None
    activity.geocoding_status = GeocodingStatus.MANUAL
    activity.geocoding_source = "staff"
    db.session.flush()
    record_audit(actor=actor, action="activity.relocated", target=activity, details={
        "before": before,
        "after": {"latitude": latitude, "longitude": longitude,
                  "municipality_code": activity.municipality_code,
                  "region_code": region_code, "mrc_code": mrc_code,
                  "district_code": activity.district_code},
    })
    return activity


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
    if not (text or "").strip():
        return None
    result = gazetteer().geocode(text)
    if result is None:
        return None
    return Place(result.municipality or text.strip(), result.latitude, result.longitude,
                 result.municipality_code, result.region_code)
