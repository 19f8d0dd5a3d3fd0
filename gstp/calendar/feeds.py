"""iCalendar feeds (RFC 5545) of public activities, built with the icalendar library."""
import hashlib
from collections import OrderedDict
from datetime import UTC, date, timedelta
from functools import lru_cache
from threading import Lock
from urllib.parse import quote, urlencode, urlsplit

from flask import current_app
from icalendar import Timezone

from gstp.activities.models import Activity, Format
from gstp.mail.services import absolute_url as public_url  # PUBLIC_BASE_URL, not Host

PRODID = "-//Collectif petite enfance//Grande semaine des tout-petits//FR"
REFRESH = timedelta(hours=6)
CACHE_BYTES = 64 * 1024 * 1024  # per worker process


def uid_host() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"


def webcal_url(url: str) -> str:
    """The webcal:// form of a feed URL, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def google_subscribe_url(url: str) -> str:
    return "https://calendar.google.com/calendar/render?cid=" + quote(webcal_url(url), safe="")


def google_template_url(activity: Activity, occurrence) -> str:
    """Google Calendar "add this event" link for one date of an activity."""
    stamp = lambda d: d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")  # noqa: E731
    return "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": activity.title,
        "dates": f"{stamp(occurrence.starts_at)}/{stamp(occurrence.ends_at)}",
        "details": public_url("calendar.activity_detail", activity_id=activity.id),
        "location": location_text(activity), "ctz": occurrence.time_zone})


def subscription_links(url: str, **filter_args) -> dict:
    """The ways to subscribe to one iCal feed (https, webcal://, Google Calendar) and,
    beside it, the Atom and RSS news feeds of the same selection."""
    return {"url": url, "webcal": webcal_url(url), "google": google_subscribe_url(url),
            "atom": public_url("calendar.news_feed", kind="atom", **filter_args),
            "rss": public_url("calendar.news_feed", kind="rss", **filter_args)}


def location_text(activity: Activity) -> str:
    """Venue, address and municipality; the virtual link for virtual activities."""
    municipality = activity.municipality.name if activity.municipality is not None else None
    return place_text(activity.venue_name, activity.address, municipality, activity.format,
                      activity.virtual_url)


def place_text(venue: str, address: str, municipality: str | None, format: Format,
               virtual_url: str | None) -> str:
    """location_text from plain values (the feeds read columns, not objects)."""
    parts = [venue, address]
    if municipality is not None and municipality not in address:
        parts.append(municipality)
    if format is not Format.IN_PERSON and virtual_url:
        parts.append(virtual_url)
    return ", ".join(p for p in parts if p)


@lru_cache(maxsize=8)
def vtimezone(tzid: str) -> bytes:
    """VTIMEZONE of a zone for the years the platform covers, built once per process."""
    return Timezone.from_tzid(tzid, first_date=date(2015, 1, 1),
                              last_date=date(2040, 1, 1)).to_ical()


class FeedCache:
    """Bodies of recently built feeds keyed by ETag, shared by the threads of a process.

    Bounded by total size: a few whole-edition feeds of several MB plus many small ones.
    """

    def __init__(self, max_bytes: int = CACHE_BYTES):
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = Lock()
        self._building: dict[str, Lock] = {}

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._items.get(etag)
            if body is not None:
                self._items.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        if len(body) > self._max_bytes:
            return
        with self._lock:
            if etag in self._items:
                return
            self._items[etag] = body
            self._bytes += len(body)
            while self._bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def get_or_build(self, etag: str, build) -> bytes:
        """The cached body, or build it once while the other threads asking for it wait.

        Without this, a cold cache under load has every thread build the same large feed.
        """
        body = self.get(etag)
        if body is not None:
            return body
        with self._lock:
            building = self._building.setdefault(etag, Lock())
        with building:
            body = self.get(etag)
            if body is None:
                body = build()
                self.put(etag, body)
        with self._lock:
            self._building.pop(etag, None)
        return body

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


feed_cache = FeedCache()


def feed_etag(*parts) -> str:
    """ETag (and cache key) of a feed from what it depends on: data version, filters, locale."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
