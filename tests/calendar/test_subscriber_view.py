"""What a subscribed calendar sees across edits, read by icalendar and by ical.js (Node).

A date keeps its UID whatever is edited, SEQUENCE only goes up, a removed date leaves,
and no validator (ETag, Last-Modified) survives a change of the bytes.
"""
from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar

from gstp.activities.models import ActivityState, Category, Occurrence
from gstp.activities.occurrences import OccurrenceInput
from gstp.activities.placement.services import relocate_activity
from gstp.activities.services import update_activity
from gstp.extensions import db
from tests.activities.helpers import form_data
from tests.calendar.conftest import TORONTO, make_activity, occurrence_on
from tests.factories import StaffFactory, UserFactory

FEED = "/calendrier.ics"


def _seen(client, icaljs, url: str = FEED) -> dict:
    """{uid: (sequence, status, start in UTC, summary)}, the same for both parsers."""
    response = client.get(url)
    assert response.status_code == 200
    by_icaljs = {e["uid"]: (e["sequence"], e["status"],
                            datetime.fromisoformat(e["start"].replace("Z", "+00:00")),
                            e["summary"]) for e in icaljs(response.data)["events"]}
    by_icalendar = {str(e["UID"]): (int(e["SEQUENCE"]), str(e["STATUS"]),
                                    e.decoded("DTSTART").astimezone(UTC), str(e["SUMMARY"]))
                    for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert by_icaljs == by_icalendar
    return by_icaljs


def _local(edition, day: int, hh_mm: str) -> datetime:
    d = edition.starts_on + timedelta(days=day)
    return datetime.combine(d, time.fromisoformat(hh_mm), tzinfo=TORONTO).astimezone(UTC)


def _edit(client, activity, edition, *dates, **fields):
    """POST the edit form as a browser does: rows of (uid echoed or None, day, start, end)."""
    data = {k: v for k, v in form_data(edition, submission_token=None, **fields).items()
            if not k.startswith("occurrences-")}
    for i, (uid, day, starts, ends) in enumerate(dates):
        data |= {f"occurrences-{i}-day": (edition.starts_on + timedelta(days=day)).isoformat(),
                 f"occurrences-{i}-starts": starts, f"occurrences-{i}-ends": ends,
                 f"occurrences-{i}-uid": uid or ""}
    response = client.post(f"/mes-activites/{activity.id}/modifier", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_dates_keep_their_uid_through_edit_move_removal_and_cancellation(
        client, as_user, edition, icaljs):
    activity = make_activity(edition, title="Avant", occurrences=[
        occurrence_on(edition, day=2), occurrence_on(edition, day=3)])
    first, second = (o.uid for o in activity.occurrences)
    as_user(UserFactory(organization=activity.organization))
    page = client.get(f"/mes-activites/{activity.id}/modifier").get_data(as_text=True)
    assert f'value="{first}"' in page and f'value="{second}"' in page
    before = _seen(client, icaljs)
    assert set(before) == {f"{first}@localhost", f"{second}@localhost"}

    # Renamed, first date moved to another day and hour: same UIDs, higher SEQUENCE.
    _edit(client, activity, edition, (first, 4, "14:00", "15:00"),
          (second, 3, "10:00", "11:30"), title="Après")
    moved = _seen(client, icaljs)
    assert set(moved) == set(before)
    sequence, status, start, summary = moved[f"{first}@localhost"]
    assert (status, start, summary) == ("CONFIRMED", _local(edition, 4, "14:00"), "Après")
    assert all(moved[uid][0] > before[uid][0] for uid in before)

    # The second date removed: its event leaves, the first keeps its UID.
    _edit(client, activity, edition, (first, 4, "14:00", "15:00"), title="Après")
    removed = _seen(client, icaljs)
    assert set(removed) == {f"{first}@localhost"}
    assert removed[f"{first}@localhost"][0] > sequence
    assert db.session.scalar(db.select(db.func.count()).select_from(Occurrence)) == 1

    # A date added by the "add a date" row (no UID echoed): a new UID, the old one stays.
    _edit(client, activity, edition, (first, 4, "14:00", "15:00"), (None, 5, "09:00", "10:00"),
          title="Après")
    added = _seen(client, icaljs)
    assert f"{first}@localhost" in added and len(added) == 2
    assert f"{second}@localhost" not in added

    # Cancelled: every date stays with STATUS:CANCELLED and a higher SEQUENCE.
    assert client.post(f"/mes-activites/{activity.id}/annuler",
                       data={"reason": "Salle fermée"}).status_code == 302
    cancelled = _seen(client, icaljs)
    assert set(cancelled) == set(added)
    assert all(cancelled[uid][1] == "CANCELLED" and cancelled[uid][0] > added[uid][0]
               for uid in added)
    single = _seen(client, icaljs, f"/activites/{activity.id}.ics")
    assert single == cancelled


def test_callers_that_echo_no_uid_still_keep_them(client, edition):
    """Imports and commands give dates only: moved dates are paired in time order."""
    activity = make_activity(edition, occurrences=[
        occurrence_on(edition, day=2), occurrence_on(edition, day=3)])
    uids = [o.uid for o in activity.occurrences]
    sequence = activity.sequence
    day = edition.starts_on
    update_activity(activity=activity, actor=None, fields={}, dates=[
        OccurrenceInput(day + timedelta(days=4), time(13), time(14)),
        OccurrenceInput(day + timedelta(days=5), time(13), time(14))])
    db.session.commit()
    assert [o.uid for o in activity.occurrences] == uids
    assert activity.sequence == sequence + 1
    # The same dates again change nothing, not even SEQUENCE.
    assert not update_activity(activity=activity, actor=None, fields={}, dates=[
        OccurrenceInput(day + timedelta(days=4), time(13), time(14)),
        OccurrenceInput(day + timedelta(days=5), time(13), time(14))])


def test_a_feed_the_activity_left_answers_200_without_it(client, as_user, edition):
    activity = make_activity(edition, category=Category.EARLY_LITERACY)
    uid = activity.occurrences[0].uid
    url = "/categories/eveil_lecture_ecriture/calendrier.ics"
    first = client.get(url)
    assert uid.encode() in first.data
    as_user(UserFactory(organization=activity.organization))
    _edit(client, activity, edition, (uid, 2, "10:00", "11:30"),
          category=Category.COMMUNITY_EVENT.value)

    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 200 and uid.encode() not in since.data
    assert since.headers["Last-Modified"] != first.headers["Last-Modified"]
    match = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert match.status_code == 200 and match.headers["ETag"] != first.headers["ETag"]
    # Nothing changed since: now it is a 304.
    assert client.get(url, headers={"If-None-Match": match.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={
        "If-Modified-Since": since.headers["Last-Modified"]}).status_code == 304


def _feeds(activity) -> tuple[str, ...]:
    """Every feed a published activity of the factory (Québec, early literacy) is in."""
    return (FEED, "/activites.ics?region=03", "/regions/03/calendrier.ics",
            "/categories/eveil_lecture_ecriture/calendrier.ics",
            "/municipalites/23027/calendrier.ics",
            f"/organismes/{activity.organization.slug}/calendrier.ics")


@pytest.mark.parametrize("state", [ActivityState.SUBMITTED, ActivityState.REJECTED])
def test_an_activity_going_back_out_of_public_view_leaves_every_feed(client, edition, state):
    activity = make_activity(edition)
    uid = activity.occurrences[0].uid.encode()
    first = {url: client.get(url) for url in _feeds(activity)}
    assert all(uid in response.data for response in first.values())
    assert client.get(f"/activites/{activity.id}.ics").status_code == 200

    # Sent back to moderation, or refused after all, by a data fix: no service allows it,
    # and the feeds must follow the state whatever changed it.
    activity.state = state
    db.session.commit()
    for url, old in first.items():
        gone = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert gone.status_code == 200, url
        assert uid not in gone.data and b"BEGIN:VEVENT" not in gone.data, url
        since = client.get(url, headers={"If-Modified-Since": old.headers["Last-Modified"]})
        assert since.status_code == 200 and uid not in since.data, url
    assert client.get(f"/activites/{activity.id}.ics").status_code == 404


def test_a_cancelled_activity_stays_as_cancelled_and_a_deleted_one_leaves(client, edition):
    activity = make_activity(edition)
    first = client.get(FEED)
    activity.state = ActivityState.CANCELLED  # a public state: stays, as cancelled
    db.session.commit()
    assert b"STATUS:CANCELLED" in client.get(
        FEED, headers={"If-None-Match": first.headers["ETag"]}).data
    db.session.delete(activity)
    db.session.commit()
    gone = client.get(FEED, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert gone.status_code == 200 and b"BEGIN:VEVENT" not in gone.data


def test_organization_rename_reaches_feeds_pages_and_open_data(client, as_user, edition, icaljs):
    activity = make_activity(edition, contact_email=None)
    organization = activity.organization
    urls = (FEED, f"/organismes/{organization.slug}/calendrier.ics",
            f"/activites/{activity.id}.ics", "/donnees/activites.json",
            "/donnees/activites.geojson", "/donnees/activites.csv")
    before = {url: client.get(url) for url in urls}
    sequence = _seen(client, icaljs)[f"{activity.occurrences[0].uid}@localhost"][0]
    as_user(UserFactory(organization=organization))
    assert client.post("/organisme/profil", data={
        "org_name": "CPE Les Petits Pas renommé", "org_type": "service_de_garde",
        "region": "03", "municipality": "Québec", "languages": ["fr"]}).status_code == 302

    for url, old in before.items():
        plain = client.get(url)
        assert "CPE Les Petits Pas renommé" in plain.get_data(as_text=True), url
        assert plain.headers["ETag"] != old.headers["ETag"], url
        assert client.get(url, headers={"If-None-Match": old.headers["ETag"]}).status_code == 200
    parsed = icaljs(client.get(FEED).data)["events"][0]
    assert parsed["organizer_cn"] == "CPE Les Petits Pas renommé"
    assert parsed["sequence"] > sequence
    for page in (f"/activites/{activity.id}", f"/organismes/{organization.slug}", "/activites"):
        assert "CPE Les Petits Pas renommé" in client.get(page).get_data(as_text=True), page


def test_municipality_rename_reaches_feeds_pages_and_open_data(client, edition, icaljs):
    activity = make_activity(edition, municipality_code="10043", region_code="01",
                             address="12, rue de la Cathédrale")
    municipality = activity.municipality
    old_name = municipality.name
    feed = client.get(FEED)
    data = client.get("/donnees/activites.json")
    try:
        municipality.name = "Rimouski-sur-Mer"  # a reference data update
        db.session.commit()
        parsed = icaljs(client.get(FEED, headers={"If-None-Match": feed.headers["ETag"]}).data)
        assert "Rimouski-sur-Mer" in parsed["events"][0]["location"]
        renamed = client.get("/donnees/activites.json",
                             headers={"If-Modified-Since": data.headers["Last-Modified"]})
        assert renamed.status_code == 200
        assert renamed.json["activities"][0]["municipality"] == "Rimouski-sur-Mer"
        assert "Rimouski-sur-Mer" in client.get(f"/activites/{activity.id}").get_data(
            as_text=True)
        assert "Rimouski-sur-Mer" in client.get(
            "/municipalites/10043/calendrier.ics").get_data(as_text=True)
    finally:
        municipality.name = old_name  # reference rows are shared by the whole run
        db.session.commit()


def test_staff_placing_an_activity_raises_sequence_but_a_draft_keeps_zero(client, edition,
                                                                         icaljs):
    activity = make_activity(edition)
    before = _seen(client, icaljs)
    relocate_activity(activity=activity, actor=StaffFactory(), latitude=46.82, longitude=-71.21)
    db.session.commit()
    after = _seen(client, icaljs)
    assert all(after[uid][0] == before[uid][0] + 1 for uid in before)
    draft = make_activity(edition, state=ActivityState.SUBMITTED)
    draft.title = "Brouillon retouché"
    db.session.commit()
    assert draft.sequence == 0
