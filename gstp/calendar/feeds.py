"""iCalendar feeds (RFC 5545) of public activities, built with the icalendar library."""
from datetime import UTC, date, timedelta
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone

from gstp.activities.models import Activity, ActivityState, Format
from gstp.calendar.labels import CATEGORY_LABELS
from gstp.controls import multi_line, single_line
from gstp.mail.services import absolute_url as public_url  # PUBLIC_BASE_URL, not Host
from gstp.security.sanitize import html_to_text

PRODID = "-//Collectif petite enfance//Grande semaine des tout-petits//FR"
REFRESH = timedelta(hours=6)


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
    parts = [activity.venue_name, activity.address]
    if activity.municipality is not None and activity.municipality.name not in activity.address:
        parts.append(activity.municipality.name)
    if activity.format is not Format.IN_PERSON and activity.virtual_url:
        parts.append(activity.virtual_url)
    return ", ".join(p for p in parts if p)


@lru_cache(maxsize=8)
def vtimezone(tzid: str) -> bytes:
    """VTIMEZONE of a zone for the years the platform covers, built once per process."""
    return Timezone.from_tzid(tzid, first_date=date(2015, 1, 1),
                              last_date=date(2040, 1, 1)).to_ical()


def build_calendar(activities: list[Activity], *, name: str) -> bytes:
    """The whole VCALENDAR: one VEVENT per occurrence, a VTIMEZONE per zone used."""
    calendar = Calendar()
    name = single_line(name)
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "America/Toronto")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    zones = {"America/Toronto"}
    host = uid_host()
    for activity in activities:
        for occurrence in activity.occurrences:
            zones.add(occurrence.time_zone)
            calendar.add_component(_event(activity, occurrence, host))
    for tzid in sorted(zones):
        calendar.add_component(Timezone.from_ical(vtimezone(tzid)))
    return calendar.to_ical()


def _event(activity: Activity, occurrence, host: str) -> Event:
    """One VEVENT; text goes through the control-character filters again, because a
    line break in a property or parameter makes the serializer fail (older rows, raw SQL)."""
    zone = ZoneInfo(occurrence.time_zone)
    event = Event()
    event.add("uid", f"{occurrence.uid}@{host}")
    event.add("sequence", activity.sequence)
    # DTSTAMP from the data, not the clock: the same data gives the same bytes (strong ETag).
    event.add("dtstamp", activity.updated_at.astimezone(UTC))
    event.add("last-modified", activity.updated_at.astimezone(UTC))
    event.add("created", (activity.published_at or activity.created_at).astimezone(UTC))
    event.add("dtstart", occurrence.starts_at.astimezone(zone))
    event.add("dtend", occurrence.ends_at.astimezone(zone))
    cancelled = activity.state is ActivityState.CANCELLED
    summary = single_line(activity.title)
    if cancelled:
        summary = _("Annulée : %(title)s", title=summary)
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    url = public_url("calendar.activity_detail", activity_id=activity.id)
    description = html_to_text(activity.description).strip()
    if activity.registration_url:
        description += "\n\n" + _("Inscription : %(url)s", url=activity.registration_url)
    event.add("description", multi_line(f"{description}\n\n{url}".strip()))
    event.add("url", url)
    location = single_line(location_text(activity))
    if location:
        event.add("location", location)
    if activity.latitude is not None and activity.longitude is not None:
        event.add("geo", (activity.latitude, activity.longitude))
    event.add("categories", [str(CATEGORY_LABELS[activity.category])])
    # The activity's public contact address; the organization's own e-mail is not public,
    # so without one the organizer is its page (CAL-ADDRESS is any URI).
    organizer = (f"mailto:{activity.contact_email}" if activity.contact_email else
                 public_url("calendar.organization_detail", slug=activity.organization.slug))
    event.add("organizer", single_line(organizer),
              parameters={"CN": single_line(activity.organization.name)})
    return event
