"""Nominatim provider, replayed from a local server: cache, throttle, fallback."""
import time

import sqlalchemy as sa

from gstp.extensions import db
from gstp.geo import nominatim as provider
from gstp.geo.models import GeocodeCache
from gstp.geo.services import geocode

ADDRESS = "350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2"


def test_answer_is_placed_with_polygons(nominatim):
    result, retry = geocode(ADDRESS)
    assert not retry and result.source == "nominatim"
    assert (round(result.latitude, 4), round(result.longitude, 4)) == (46.814, -71.2245)
    assert (result.municipality_code, result.region_code, result.mrc_code) == ("23027", "03", "23")
    assert result.district_code == "751"
    request = nominatim.requests[0]
    assert request["path"] == "/search"
    assert request["query"]["countrycodes"] == ["ca"]
    assert request["query"]["bounded"] == ["1"] and request["query"]["addressdetails"] == ["1"]
    assert request["user_agent"].startswith("gstp/")


def test_same_address_is_asked_once(nominatim):
    geocode(ADDRESS)
    db.session.commit()
    again, _ = geocode(ADDRESS.upper())  # same query once normalised
    assert again.source == "nominatim"
    assert len(nominatim.requests) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GeocodeCache)) == 1


def test_requests_are_spaced_by_the_throttle(nominatim):
    started = time.monotonic()
    provider.lookup("1 rue A, Québec")
    provider.lookup("2 rue B, Québec")
    provider.lookup("3 rue C, Québec")
    assert len(nominatim.requests) == 3
    assert time.monotonic() - started >= 0.6  # two waits of NOMINATIM_MIN_INTERVAL (0.3 s)


def test_throttle_busy_falls_back(nominatim, app):
    app.config["NOMINATIM_MIN_INTERVAL"] = 30
    provider.lookup("1 rue A, Québec")
    result, retry = geocode("2 rue B, Rimouski")
    assert retry and result.source == "gazetteer" and result.municipality == "Rimouski"
    assert len(nominatim.requests) == 1


def test_server_error_falls_back_offline(nominatim):
    nominatim.mode = "error"
    result, retry = geocode("12 rue Principale, Saint-Jérôme")
    assert retry and result.source == "gazetteer" and result.municipality_code == "75017"
    # Failures are not cached: the next attempt asks again.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GeocodeCache)) == 0


def test_nothing_found_keeps_offline_answer(nominatim):
    nominatim.mode = "empty"
    result, retry = geocode("12 rue Inconnue, Kuujjuaq")
    assert not retry and result.municipality_code == "99095"
