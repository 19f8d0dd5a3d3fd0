"""Kept VEVENT bytes: after any public change the feed equals one built from nothing.

Each change a subscriber sees (edit, date moved, cancellation, organization or
municipality renamed) serializes again the events it touches and only those, raises
their SEQUENCE, and keeps DTSTAMP a UTC time that never goes back.
"""
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from icalendar import Calendar

from gstp.activities.models import ActivityState, Category, GeocodingStatus
from gstp.activities.moderation import set_state
from gstp.activities.occurrences import OccurrenceInput
from gstp.activities.services import update_activity
from gstp.calendar import feed_events
from gstp.calendar.feed_events import EventCache, build_feed, calendar_header, event_cache
from gstp.calendar.feeds import vtimezone
from gstp.calendar.filters import ActivityFilters
from gstp.calendar.labels import CATEGORY_LABELS
from gstp.extensions import db
from gstp.organizations.services import update_organization
from tests.calendar.conftest import BLANC_SABLON, make_activity, occurrence_on
from tests.factories import StaffFactory

FEED = "/calendrier.ics"


@pytest.fixture
def serialized(monkeypatch):
    """The UIDs (without host) of the events serialized since the fixture was set up."""
    seen = []
    original = feed_events.event_component

    def counting(row, context):
        seen.append(row.uid)
        return original(row, context)
    monkeypatch.setattr(feed_events, "event_component", counting)
    return seen


def _events(body: bytes) -> dict:
    return {str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(body).walk("VEVENT")}


def _from_nothing(client, url: str = FEED) -> bytes:
    client.application.extensions["gstp_page_store"].clear()
    event_cache.clear()
    return client.get(url).data


def _dates(activity, *, first_moved_by: int = 0) -> list[OccurrenceInput]:
    """The activity's dates as the form sends them, the first one moved by some days."""
    out = []
    for n, occurrence in enumerate(activity.occurrences):
        zone = ZoneInfo(occurrence.time_zone)
        start, end = occurrence.starts_at.astimezone(zone), occurrence.ends_at.astimezone(zone)
        day = start.date() + timedelta(days=first_moved_by if n == 0 else 0)
        out.append(OccurrenceInput(day, start.time(), end.time()))
    return out


def _edit(activity, municipality):
    update_activity(activity=activity, actor=None, fields={"title": "Conte retouché"},
                    dates=_dates(activity))


def _move(activity, municipality):
    update_activity(activity=activity, actor=None, fields={},
                    dates=_dates(activity, first_moved_by=1))


def _cancel(activity, municipality):
    set_state(activity=activity, state=ActivityState.CANCELLED, actor=StaffFactory(),
              reason="Salle fermée")


def _rename_organization(activity, municipality):
    update_organization(organization=activity.organization, name="Organisme renommé")


def _rename_municipality(activity, municipality):
    municipality.name = "Rimouski-sur-Mer"  # a reference data update


@pytest.mark.parametrize("change", [_edit, _move, _cancel, _rename_organization,
                                    _rename_municipality])
def test_a_change_serializes_again_only_its_events_and_equals_a_feed_from_nothing(
        client, edition, serialized, change):
    changed = make_activity(edition, title="Conte", municipality_code="10043", region_code="01",
                            address="12, rue de la Cathédrale", contact_email=None,
                            occurrences=[occurrence_on(edition, day=2),
                                         occurrence_on(edition, day=4, hour=14)])
    bystander = make_activity(edition, title="Jeu libre")
    uids = {o.uid for o in changed.occurrences}
    municipality = changed.municipality
    old_name = municipality.name
    before = client.get(FEED).data
    assert len(serialized) == 3
    try:
        change(changed, municipality)
        db.session.commit()
        serialized.clear()
        after = client.get(FEED).data

        assert set(serialized) == uids  # the bystander's bytes were reused
        assert after == _from_nothing(client)
        old, new = _events(before), _events(after)
        assert new[bystander.occurrences[0].uid].to_ical() == (
            old[bystander.occurrences[0].uid].to_ical())
        for uid in uids:
            assert new[uid]["SEQUENCE"] > old[uid]["SEQUENCE"]
            assert new[uid].to_ical() != old[uid].to_ical()
            # RFC 5545: DTSTAMP in UTC; here the event's last change, so never earlier.
            assert new[uid]["DTSTAMP"].to_ical().endswith(b"Z")
            assert new[uid].decoded("DTSTAMP").utcoffset() == timedelta(0)
            assert new[uid].decoded("DTSTAMP") == new[uid].decoded("LAST-MODIFIED")
            assert new[uid].decoded("DTSTAMP") >= old[uid].decoded("DTSTAMP")
            assert new[uid].decoded("DTSTAMP") == changed.updated_at.astimezone(UTC).replace(
                microsecond=0)
    finally:
        municipality.name = old_name  # reference rows are shared by the whole run
        db.session.commit()


def test_a_change_no_event_shows_still_gives_fresh_bytes(client, edition, serialized):
    """Bookkeeping moves updated_at, hence DTSTAMP, without SEQUENCE: never the old bytes."""
    activity = make_activity(edition)
    uid = activity.occurrences[0].uid
    before = _events(client.get(FEED).data)[uid]
    activity.geocoding_status = GeocodingStatus.MANUAL  # updated_at follows by itself
    db.session.commit()
    serialized.clear()
    body = client.get(FEED).data
    assert serialized == [uid]
    after = _events(body)[uid]
    assert after["SEQUENCE"] == before["SEQUENCE"]
    assert after.decoded("DTSTAMP") == activity.updated_at.replace(microsecond=0)
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    assert body == _from_nothing(client)


def test_language_and_public_address_are_part_of_the_key(app, client, edition, serialized):
    activity = make_activity(edition, category=Category.EARLY_LITERACY)
    uid = activity.occurrences[0].uid
    french = client.get(FEED).data
    english = client.get(FEED + "?lang=en").data
    assert len(serialized) == 2
    with force_locale("en"):
        label = str(CATEGORY_LABELS[Category.EARLY_LITERACY])
    assert str(_events(english)[uid]["CATEGORIES"].cats[0]) == label
    assert label != str(_events(french)[uid]["CATEGORIES"].cats[0])
    assert client.get(FEED).data == french

    base = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = "https://gstp.example"
    try:
        moved = _from_nothing(client)
        assert f"{uid}@gstp.example".encode() in moved
        assert f"https://gstp.example/activites/{activity.id}".encode() in moved
    finally:
        app.config["PUBLIC_BASE_URL"] = base
    assert _from_nothing(client) == french


def test_joined_feed_is_the_calendar_icalendar_builds_whole(app, client, edition):
    make_activity(edition, title="Conte", registration_url="https://inscription.example/conte")
    make_activity(edition, title="Matinée à Blanc-Sablon", municipality_code="98005",
                  region_code="09", time_zone="America/Blanc-Sablon",
                  occurrences=[occurrence_on(edition, day=3, hour=9, zone=BLANC_SABLON)])
    cancelled = make_activity(edition, title="Annulée")
    set_state(activity=cancelled, state=ActivityState.CANCELLED, actor=StaffFactory())
    db.session.commit()
    with app.test_request_context("/calendrier.ics"):
        rows = feed_events.edition_rows(ActivityFilters(), edition)
        joined = build_feed(rows, name="Essai")
        kept = build_feed(rows, name="Essai")
        calendar = calendar_header("Essai")
        context = feed_events._Context()
        for row in rows:
            calendar.add_component(feed_events.event_component(row, context))
        for tzid in sorted({"America/Toronto", *(row.time_zone for row in rows)}):
            calendar.add_component(Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + vtimezone(tzid)
                                                      + b"END:VCALENDAR\r\n").subcomponents[0])
    assert len(rows) == 3
    assert joined == kept == calendar.to_ical()
    assert joined.count(b"BEGIN:VTIMEZONE") == 2


def test_event_cache_is_bounded_in_bytes():
    cache = EventCache(max_bytes=10_000)
    keys = [("fr", "http://localhost", f"occ-{n}", "Titre") for n in range(50)]
    cache.put_many([(key, b"x" * 500) for key in keys])
    assert 0 < len(cache) <= 10_000 // 500
    assert cache.get_many(keys[-1:]) == [b"x" * 500]  # the newest stays
    assert cache.get_many(keys[:1]) == [None]  # the oldest went first
    cache.put_many([(("fr", "big"), b"x" * 20_000)])  # larger than the whole cache: not kept
    assert cache.get_many([("fr", "big")]) == [None]


def test_dates_of_an_activity_come_in_time_order(client, edition):
    activity = make_activity(edition, occurrences=[occurrence_on(edition, day=5),
                                                   occurrence_on(edition, day=1, hour=8)])
    body = client.get(f"/activites/{activity.id}.ics").data
    starts = [e.decoded("DTSTART") for e in Calendar.from_ical(body).walk("VEVENT")]
    assert len(starts) == 2 and starts == sorted(starts)
