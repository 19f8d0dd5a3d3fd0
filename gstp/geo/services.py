"""Geocoding of text: addresses and visitors' places to points, regions, MRC, districts."""
import logging
from dataclasses import dataclass

from flask import current_app

from gstp.geo import nominatim
from gstp.geo.gazetteer import GeoResult, gazetteer

log = logging.getLogger(__name__)
# Geocoding sources that place a text only at its municipality's point (offline gazetteer):
# a distance inside that municipality would be made up.
MUNICIPALITY_LEVEL_SOURCES = frozenset({"gazetteer", "postal_code", "municipality"})


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


@dataclass(frozen=True)
class Place:
    """A point found for a visitor's text (municipality name or postal code)."""

    label: str
    latitude: float
    longitude: float
    municipality_code: str | None
    region_code: str | None
    precise: bool = False  # False: only the municipality is known, not the street


def resolve_place(text: str) -> Place | None:
    """The place a visitor means by "near me" text; None when nothing matches."""
    if not (text or "").strip():
        return None
    result = gazetteer().geocode(text)
    if result is None:
        return None
    return Place(result.municipality or text.strip(), result.latitude, result.longitude,
                 result.municipality_code, result.region_code,
                 precise=result.source not in MUNICIPALITY_LEVEL_SOURCES)
