"""iCalendar feeds parsed back with icalendar and checked field by field."""
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from gstp.activities.models import ActivityState, Category, Format
from gstp.db import utcnow
from gstp.extensions import db
from tests.calendar.conftest import BLANC_SABLON, make_activity, occurrence_on
from tests.factories import OrganizationFactory


def _parse(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def _events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_edition_feed_fields(client, edition):
    activity = make_activity(edition, title="Heure du conte au parc",
                             category=Category.EARLY_LITERACY, contact_email="conte@biblio.example")
    lower_north_shore = make_activity(
        edition, title="Matinée des tout-petits à Blanc-Sablon", municipality_code="98005",
        region_code="09", latitude=51.42, longitude=-57.13, venue_name="Salle municipale",
        address="1149, boulevard Docteur-Camille-Marcoux", time_zone="America/Blanc-Sablon",
        occurrences=[occurrence_on(edition, day=3, hour=9, zone=BLANC_SABLON)])

    response = client.get("/calendrier.ics")
    calendar = _parse(response)

    assert calendar["VERSION"] == "2.0"
    assert "Grande semaine des tout-petits" in str(calendar["PRODID"])
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == f"Grande semaine des tout-petits {edition.year}"
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Toronto"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "America/Toronto", "America/Blanc-Sablon"}

    events = _events(calendar)
    occurrence = activity.occurrences[0]
    uid = f"{occurrence.uid}@localhost"
    event = events[uid]
    assert str(event["SUMMARY"]) == "Heure du conte au parc"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == occurrence.starts_at
    assert event["DTSTART"].params["TZID"] == "America/Toronto"
    assert event["DTEND"].params["TZID"] == "America/Toronto"
    assert event.decoded("DTSTART").tzinfo.key == "America/Toronto"
    for name in ("DTSTAMP", "LAST-MODIFIED"):  # both in UTC: "…Z" and no TZID
        assert event[name].to_ical().endswith(b"Z")
        assert event.decoded(name).utcoffset() == timedelta(0)
        assert "TZID" not in event[name].params
    assert event.decoded("LAST-MODIFIED") == activity.updated_at.replace(microsecond=0)
    assert event["URL"] == f"http://localhost/activites/{activity.id}"
    assert "Bibliothèque Gabrielle-Roy" in str(event["LOCATION"])
    assert "350, rue Saint-Joseph Est" in str(event["LOCATION"])
    assert (event["GEO"].latitude, event["GEO"].longitude) == (46.8139, -71.2245)
    assert "Lecture d'albums" in str(event["DESCRIPTION"])
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Éveil à la lecture et à l'écriture"]
    assert event["ORGANIZER"].params["CN"] == activity.organization.name
    assert str(event["ORGANIZER"]) == "mailto:conte@biblio.example"

    other = events[f"{lower_north_shore.occurrences[0].uid}@localhost"]
    assert other["DTSTART"].params["TZID"] == "America/Blanc-Sablon"
    assert other.decoded("DTSTART").hour == 9
    assert other.decoded("DTSTART") == lower_north_shore.occurrences[0].starts_at
    # No public contact address: the organizer is the organization's page, never its e-mail.
    organization = lower_north_shore.organization
    assert str(other["ORGANIZER"]) == f"http://localhost/organismes/{organization.slug}"
    assert organization.email not in response.get_data(as_text=True)

    # The same UIDs on every request.
    assert set(_events(_parse(client.get("/calendrier.ics")))) == set(events)


def test_feed_bytes_are_crlf_and_folded(client, edition):
    make_activity(edition, title="Très long titre " * 12, description="Une description. " * 40)
    body = client.get("/calendrier.ics").data
    lines = body.split(b"\r\n")
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded


def test_edit_and_cancellation_seen_through_the_feed(client, edition):
    activity = make_activity(edition, title="Avant")
    uid = f"{activity.occurrences[0].uid}@localhost"
    first = _parse(client.get("/calendrier.ics"))
    assert _events(first)[uid]["SEQUENCE"] == 0

    # An edit straight on the model: the session hook raises SEQUENCE by itself.
    activity.title = "Après"
    activity.updated_at = utcnow() + timedelta(seconds=2)
    db.session.commit()
    edited = _events(_parse(client.get("/calendrier.ics")))[uid]
    assert str(edited["SUMMARY"]) == "Après"
    assert edited["SEQUENCE"] == 1
    assert edited.decoded("LAST-MODIFIED") == activity.updated_at.replace(microsecond=0)

    # Cancellation: kept in the feed with STATUS:CANCELLED and a higher SEQUENCE.
    activity.state = ActivityState.CANCELLED
    activity.cancelled_at = utcnow()
    activity.updated_at = utcnow() + timedelta(seconds=4)
    db.session.commit()
    cancelled = _events(_parse(client.get("/calendrier.ics")))[uid]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == 2
    assert "Annulée" in str(cancelled["SUMMARY"])
    single = _events(_parse(client.get(f"/activites/{activity.id}.ics")))[uid]
    assert single["STATUS"] == "CANCELLED"


def test_etag_last_modified_and_304(client, edition):
    activity = make_activity(edition)
    first = client.get("/calendrier.ics")
    etag = first.headers["ETag"]
    assert etag and first.headers["Last-Modified"]
    again = client.get("/calendrier.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    since = client.get("/calendrier.ics",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other_feed = client.get("/activites.ics?region=03", headers={"If-None-Match": etag})
    assert other_feed.status_code == 200

    activity.sequence += 1
    activity.updated_at = utcnow() + timedelta(seconds=5)
    db.session.commit()
    changed = client.get("/calendrier.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag

    single = client.get(f"/activites/{activity.id}.ics")
    assert client.get(f"/activites/{activity.id}.ics",
                      headers={"If-None-Match": single.headers["ETag"]}).status_code == 304


def test_scoped_feeds(client, edition):
    organization = OrganizationFactory(name="Bibliothèques de Québec", slug="biblio-quebec")
    quebec = make_activity(edition, organization=organization, title="Conte à Québec")
    rimouski = make_activity(edition, title="Jeu libre à Rimouski", municipality_code="10043",
                             region_code="01", category=Category.COMMUNITY_EVENT,
                             latitude=48.45, longitude=-68.52)
    virtual = make_activity(edition, title="Causerie virtuelle", format=Format.VIRTUAL,
                            venue_name="", address="", latitude=None, longitude=None,
                            virtual_url="https://visio.example/causerie")

    def titles(url):
        return {str(e["SUMMARY"]) for e in _parse(client.get(url)).walk("VEVENT")}

    assert titles("/regions/01/calendrier.ics") == {"Jeu libre à Rimouski"}
    assert titles("/categories/evenement_communautaire/calendrier.ics") == {"Jeu libre à Rimouski"}
    assert titles("/municipalites/10043/calendrier.ics") == {"Jeu libre à Rimouski"}
    assert titles("/organismes/biblio-quebec/calendrier.ics") == {"Conte à Québec"}
    assert titles("/activites.ics?format=virtual") == {"Causerie virtuelle"}
    assert titles("/activites.ics?q=conte") == {"Conte à Québec"}
    assert titles(f"/activites/{rimouski.id}.ics") == {"Jeu libre à Rimouski"}
    feed = _parse(client.get("/regions/01/calendrier.ics"))
    assert "Bas-Saint-Laurent" in str(feed["X-WR-CALNAME"])
    virtual_event = next(iter(_parse(client.get("/activites.ics?format=virtual")).walk("VEVENT")))
    assert "https://visio.example/causerie" in str(virtual_event["LOCATION"])
    assert "GEO" not in virtual_event
    assert quebec.id and virtual.id
    for url in ("/regions/99/calendrier.ics", "/categories/nope/calendrier.ics",
                "/organismes/nope/calendrier.ics", "/municipalites/00000/calendrier.ics"):
        assert client.get(url).status_code == 404


def test_feeds_include_past_dates_of_the_edition(client, edition):
    past_start = datetime.now(UTC) - timedelta(days=3)
    from gstp.activities.models import Occurrence

    make_activity(edition, title="Déjà passée", occurrences=[Occurrence(
        starts_at=past_start, ends_at=past_start + timedelta(hours=1),
        time_zone="America/Toronto")])
    titles = {str(e["SUMMARY"]) for e in _parse(client.get("/calendrier.ics")).walk("VEVENT")}
    assert "Déjà passée" in titles
