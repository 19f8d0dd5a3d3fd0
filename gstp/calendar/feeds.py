"""iCalendar feeds (RFC 5545) of public activities, built with the icalendar library."""
from datetime import UTC, date, timedelta
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit

from flask import current_app
from icalendar import Timezone, vDDDLists

from gstp.activities.models import Activity, Format
from gstp.mail.services import LOCAL_BASE_URL
from gstp.mail.services import absolute_url as public_url  # PUBLIC_BASE_URL, not Host

PRODID = "-//Collectif petite enfance//Grande semaine des tout-petits//FR"
REFRESH = timedelta(hours=6)


def uid_host() -> str:
    # The configured host, never the request's: an event's UID must not change with it.
    return urlsplit(current_app.config["PUBLIC_BASE_URL"] or LOCAL_BASE_URL).hostname \
        or "localhost"


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
    zone = Timezone.from_tzid(tzid, first_date=date(2015, 1, 1), last_date=date(2040, 1, 1))
    for change in zone.subcomponents:
        rdates = change.pop("RDATE", None)
        if rdates is not None:
            # One RDATE line per change: ical.js (Thunderbird) reads only a list's first
            # date, and would show every later summer in standard time.
            rdates = rdates if isinstance(rdates, list) else [rdates]
            change["RDATE"] = [vDDDLists([when.dt]) for dates in rdates for when in dates.dts]
    return zone.to_ical()
