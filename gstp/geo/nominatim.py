"""Nominatim through geopy: shared 1 request/second throttle and a persistent cache.

The throttle is a one-row table. On PostgreSQL the row is locked with SELECT … FOR
UPDATE on a connection of its own, so every worker and process waits its turn. SQLite
has a single writer: the row is updated through the caller's session, whose write lock
already serialises the processes (a second process waits for it, up to its busy timeout).
"""
import math
import time
from contextlib import nullcontext
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from geopy.adapters import URLLibAdapter
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim
from sqlalchemy.exc import IntegrityError

from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.gazetteer import GeoResult, gazetteer
from gstp.geo.models import GeocodeCache, GeocoderThrottle
from gstp.geo.text import fold

PROVIDER = "nominatim"
# South-west and north-east corners of Québec (lat, lon) for viewbox + bounded.
QUEBEC_VIEWBOX = [(44.99, -79.77), (62.59, -57.10)]
PLACE_KEYS = ("city", "town", "village", "municipality", "hamlet", "suburb")


class NominatimUnavailable(Exception):
    """Nominatim could not answer now (error, timeout, throttle busy): try again later."""


def query_key(text: str) -> str:
    """Cache key: the folded text, so case, accents and punctuation do not matter."""
    return fold(text)[:400]


def _wait_turn(*, interval: float, max_wait: float) -> None:
    """Reserve the next request slot, sleeping until it comes; raise when too far away."""
    postgres = db.engine.dialect.name == "postgresql"
    with (db.engine.begin() if postgres else nullcontext(db.session)) as connection:
        table = GeocoderThrottle.__table__
        if not postgres:  # take SQLite's write lock before reading, as FOR UPDATE would
            connection.execute(table.update().where(table.c.provider == PROVIDER)
                               .values(provider=PROVIDER))
        row = connection.execute(
            sa.select(table.c.last_request_at).where(table.c.provider == PROVIDER)
            .with_for_update()).first()
        if row is None:
            connection.execute(table.insert().values(provider=PROVIDER, last_request_at=None))
            last = None
        else:
            last = row.last_request_at
        if last is not None and last.tzinfo is None:  # SQLite through Core gives naive UTC
            last = last.replace(tzinfo=utcnow().tzinfo)
        wait = 0.0 if last is None else (
            last + timedelta(seconds=interval) - utcnow()).total_seconds()
        if wait > max_wait:
            raise NominatimUnavailable("throttle busy")
        if wait > 0:
            time.sleep(wait)
        connection.execute(table.update().where(table.c.provider == PROVIDER)
                           .values(last_request_at=utcnow()))


def _ask(text: str) -> dict | None:
    config = current_app.config
    url = urlsplit(config["NOMINATIM_URL"])
    # One attempt of NOMINATIM_TIMEOUT seconds: geopy's default requests adapter retries
    # twice, tripling the wait of a submission; urllib's never retries.
    client = Nominatim(user_agent=config["NOMINATIM_USER_AGENT"], scheme=url.scheme or "https",
                       domain=(url.netloc + url.path.rstrip("/")),
                       timeout=config["NOMINATIM_TIMEOUT"], adapter_factory=URLLibAdapter)
    _wait_turn(interval=config.get("NOMINATIM_MIN_INTERVAL", 1.0),
               max_wait=config.get("NOMINATIM_MAX_WAIT", 2.0))
    try:
        location = client.geocode(text, exactly_one=True, addressdetails=True,
                                  country_codes="ca", viewbox=QUEBEC_VIEWBOX, bounded=True)
    except GeopyError as error:
        raise NominatimUnavailable(str(error)) from error
    return location.raw if location is not None else None


def _remember(key: str, raw: dict | None) -> None:
    """Store an answer; a worker that stored the same key first wins."""
    try:
        with db.session.begin_nested():
            db.session.add(GeocodeCache(provider=PROVIDER, query_key=key, result=raw))
    except IntegrityError:
        pass


def lookup(text: str) -> dict | None:
    """Nominatim's raw answer for `text` (None: nothing found), from the cache when known."""
    key = query_key(text)
    cached = db.session.scalar(sa.select(GeocodeCache).where(
        GeocodeCache.provider == PROVIDER, GeocodeCache.query_key == key))
    if cached is not None:
        return cached.result
    raw = _ask(text)
    _remember(key, raw)
    return raw


def to_result(raw: dict | None) -> GeoResult | None:
    """Our result for a Nominatim answer: region/MRC by polygon, municipality by name."""
    if not raw:
        return None
    latitude, longitude = float(raw["lat"]), float(raw["lon"])
    gaz = gazetteer()
    region_code, mrc_code = gaz.locate_point(latitude, longitude)
    if region_code is None:
        return None  # outside Québec
    address = raw.get("address") or {}
    postal_code = (address.get("postcode") or "").replace(" ", "").upper() or None
    muni = None
    for key in PLACE_KEYS:
        found = [m for m in gaz.find_name(address.get(key, ""), fuzzy=False)
                 if m.region_code == region_code]
        if found:
            muni = found[0]
            break
    if muni is None:  # nearest municipality of the same MRC
        near = [m for m in gaz.municipalities.values() if m.mrc_code == mrc_code]
        muni = min(near, default=None, key=lambda m: math.dist(
            (m.latitude, m.longitude), (latitude, longitude)))
    return GeoResult(latitude, longitude, muni.code if muni else None,
                     muni.name if muni else None, region_code, mrc_code,
                     gaz.district_for(muni, postal_code), PROVIDER)
