"""The VEVENTs of the iCalendar feeds: one query of plain values, each event's bytes kept.

A feed is its header, the bytes of each VEVENT and the VTIMEZONEs, joined. An event's
bytes are kept per process under a key made of every value they are built from (the
row itself, the language and PUBLIC_BASE_URL): a change of any of them is a new key, so
a kept event can be stale in no process, whatever made the change. After an edit, only
the edited events are serialized again; the rest are dictionary look-ups. The rows of the
whole edition's feed are kept too: after an edit only the edited activity's are read again.
"""
from datetime import UTC
from threading import Lock
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from cachetools import LRUCache
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy.orm import aliased

from gstp.activities.models import Activity, ActivityState, Occurrence
from gstp.calendar import carry, queries
from gstp.calendar.feeds import PRODID, REFRESH, place_text, uid_host, vtimezone
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.labels import CATEGORY_LABELS
from gstp.controls import multi_line, single_line
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.mail.services import absolute_url as public_url
from gstp.mail.services import public_base_url
from gstp.organizations.models import Organization
from gstp.security.sanitize import html_to_text

FEED_ZONE = "America/Toronto"
EVENT_CACHE_BYTES = 32 * 1024 * 1024  # per worker process: 5,000 dates in 2 languages take ~17 MB
_END = b"END:VCALENDAR\r\n"
_SAMPLE_ID = 9081726354

# Aliased: the ordering and the filters correlate subqueries on `occurrence` (first date,
# day) and `organization` (slug), which must not bind to the joined rows.
_occurrence = aliased(Occurrence)
_organization = aliased(Organization)
_municipality = aliased(Municipality)
COLUMNS = (
    _occurrence.uid, _occurrence.starts_at, _occurrence.ends_at, _occurrence.time_zone,
    Activity.id, Activity.sequence, Activity.updated_at, Activity.published_at,
    Activity.created_at, Activity.state, Activity.title, Activity.description,
    Activity.registration_url, Activity.venue_name, Activity.address, Activity.format,
    Activity.virtual_url, Activity.latitude, Activity.longitude, Activity.category,
    Activity.contact_email, _organization.slug, _organization.name.label("organization_name"),
    _municipality.name.label("municipality_name"), _occurrence.id.label("occurrence_id"),
)


def _rows(stmt: sa.Select) -> list[sa.Row]:
    """One row per date of the selected activities, in their order, dates in time order."""
    stmt = (stmt.with_only_columns(*COLUMNS, maintain_column_froms=True)
            .join(_occurrence, _occurrence.activity_id == Activity.id)
            .join(_organization, _organization.id == Activity.organization_id)
            .outerjoin(_municipality, _municipality.code == Activity.municipality_code)
            .order_by(_occurrence.starts_at, _occurrence.id))
    # Core rows, not ORM ones: nothing here needs identity or loading machinery.
    return list(db.session.connection().execute(stmt))


def edition_rows(filters: ActivityFilters, edition: Edition) -> list[sa.Row]:
    """Every date of the edition's public activities matching the filters, past ones too."""
    return _rows(queries.ordered(queries.edition_select(edition, filters, upcoming=False),
                                 filters))


def edition_feed_rows(edition: Edition) -> list[sa.Row]:
    """edition_rows of the whole edition, kept across public versions: a new version reads
    again only the dates of the activities it changed (carry.carried)."""
    return carry.carried(("edition_feed_rows", edition.id),
                         lambda: edition_rows(ActivityFilters(), edition),
                         lambda old, changed: _patched(old, edition, changed))


def _patched(rows: list[sa.Row], edition: Edition, changed: set[int]) -> list[sa.Row]:
    if not changed:
        return rows
    fresh = _rows(queries.edition_select(edition, ActivityFilters(), upcoming=False)
                  .where(Activity.id.in_(sorted(changed))))
    rows = [row for row in rows if row.id not in changed] + fresh
    first: dict[int, object] = {}
    for row in rows:
        first[row.id] = min(first.get(row.id, row.starts_at), row.starts_at)
    # The order of edition_rows: first date of the activity, activity, date, occurrence.
    rows.sort(key=lambda row: (first[row.id], row.id, row.starts_at, row.occurrence_id))
    return rows


def activity_rows(activity_id: int) -> list[sa.Row]:
    """The dates of one public activity."""
    return _rows(sa.select(Activity).where(Activity.id == activity_id, Activity.public))


class EventCache:
    """VEVENT bytes by content key, bounded by size (bytes and the keys' text), thread-safe."""

    def __init__(self, max_bytes: int = EVENT_CACHE_BYTES):
        self._items = LRUCache(maxsize=max_bytes, getsizeof=lambda item: item[1])
        self._lock = Lock()

    def get_many(self, keys: list[tuple]) -> list[bytes | None]:
        with self._lock:
            found = [self._items.get(key) for key in keys]
        return [item[0] if item is not None else None for item in found]

    def put_many(self, items: list[tuple[tuple, bytes]]) -> None:
        with self._lock:
            for key, body in items:
                # The key holds the event's text too; 400 for its tuple and other values.
                size = len(body) + sum(len(v) for v in key if isinstance(v, str)) + 400
                if size <= self._items.maxsize:
                    self._items[key] = (body, size)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


event_cache = EventCache()


class _Context:
    """What every event of one build shares: host, URL builder, labels of this language."""

    def __init__(self):
        self.host = uid_host()
        self._labels, self._organizers = {}, {}
        # The id converter writes str(int): one activity URL built per feed, the others
        # are that one with the id replaced (else one Werkzeug build per event).
        sample = public_url("calendar.activity_detail", activity_id=_SAMPLE_ID)
        parts = sample.split(str(_SAMPLE_ID))
        self._activity_url = tuple(parts) if len(parts) == 2 else None

    def activity_url(self, activity_id: int) -> str:
        if self._activity_url is None:
            return public_url("calendar.activity_detail", activity_id=activity_id)
        return f"{self._activity_url[0]}{int(activity_id)}{self._activity_url[1]}"

    def organization_url(self, slug: str) -> str:
        if slug not in self._organizers:
            self._organizers[slug] = public_url("calendar.organization_detail", slug=slug)
        return self._organizers[slug]

    def category(self, category) -> str:
        if category not in self._labels:
            self._labels[category] = str(CATEGORY_LABELS[category])
        return self._labels[category]


def event_component(row: sa.Row, context: _Context) -> Event:
    """One VEVENT; text goes through the control-character filters again, because a
    line break in a property or parameter makes the serializer fail (older rows, raw SQL)."""
    zone = ZoneInfo(row.time_zone)
    event = Event()
    event.add("uid", f"{row.uid}@{context.host}")
    event.add("sequence", row.sequence)
    # DTSTAMP from the data, not the clock: the same data gives the same bytes (strong ETag).
    updated = row.updated_at.astimezone(UTC)
    event.add("dtstamp", updated)
    event.add("last-modified", updated)
    event.add("created", (row.published_at or row.created_at).astimezone(UTC))
    event.add("dtstart", row.starts_at.astimezone(zone))
    event.add("dtend", row.ends_at.astimezone(zone))
    cancelled = row.state == ActivityState.CANCELLED
    summary = single_line(row.title)
    if cancelled:
        summary = _("Annulée : %(title)s", title=summary)
    event.add("summary", summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    url = context.activity_url(row.id)
    description = html_to_text(row.description).strip()
    if row.registration_url:
        description += "\n\n" + _("Inscription : %(url)s", url=row.registration_url)
    event.add("description", multi_line(f"{description}\n\n{url}".strip()))
    event.add("url", url)
    location = single_line(place_text(row.venue_name, row.address, row.municipality_name,
                                      row.format, row.virtual_url))
    if location:
        event.add("location", location)
    if row.latitude is not None and row.longitude is not None:
        event.add("geo", (row.latitude, row.longitude))
    event.add("categories", [context.category(row.category)])
    # The activity's public contact address; the organization's own e-mail is not public,
    # so without one the organizer is its page (CAL-ADDRESS is any URI).
    organizer = (f"mailto:{row.contact_email}" if row.contact_email else
                 context.organization_url(row.slug))
    event.add("organizer", single_line(organizer),
              parameters={"CN": single_line(row.organization_name)})
    return event


def calendar_header(name: str) -> Calendar:
    """The VCALENDAR with its properties and no component yet."""
    calendar = Calendar()
    name = single_line(name)
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", FEED_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    return calendar


def build_feed(rows: list[sa.Row], *, name: str) -> bytes:
    """The whole VCALENDAR: one VEVENT per date (kept ones reused), a VTIMEZONE per zone."""
    context = _Context()
    scope = (str(get_locale()), public_base_url())
    keys = [(*scope, *row) for row in rows]
    events = event_cache.get_many(keys)
    built = []
    for i, body in enumerate(events):
        if body is None:
            events[i] = event_component(rows[i], context).to_ical()
            built.append((keys[i], events[i]))
    event_cache.put_many(built)
    zones = sorted({FEED_ZONE, *(row.time_zone for row in rows)})
    header = calendar_header(name).to_ical().removesuffix(_END)
    return b"".join((header, *events, *map(vtimezone, zones), _END))
