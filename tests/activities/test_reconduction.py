"""« Reconduire »: past activities copied into the open edition, dates moved, once only."""
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from gstp.activities.models import Activity, ActivityState, Occurrence
from gstp.activities.reconduction import moved_date
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import form_data, open_edition
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)

TORONTO = ZoneInfo("America/Toronto")


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TORONTO)


def _past_activity(organization, edition, **fields) -> Activity:
    tuesday = edition.starts_on + timedelta(days=2)
    thursday = edition.starts_on + timedelta(days=4)
    occurrences = [
        Occurrence(starts_at=_at(tuesday, 9, 30), ends_at=_at(tuesday, 11),
                   time_zone="America/Toronto"),
        Occurrence(starts_at=_at(thursday, 18), ends_at=_at(thursday, 19, 45),
                   time_zone="America/Toronto")]
    defaults = {"poster_name": "a" * 32, "poster_alt": "Affiche de l'heure du conte",
                "latitude": 46.81, "longitude": -71.22, "contact_email": "conte@org.example",
                "price_details": "", "accessibility_notes": "Rampe d'accès"}
    return ActivityFactory(organization=organization, edition=edition,
                           occurrences=occurrences, **(defaults | fields))


def test_a_date_moves_to_the_same_weekday_and_time():
    old, new = EditionFactory.build(year=2026), EditionFactory.build(year=2027)
    occurrence = Occurrence(starts_at=_at(date(2026, 11, 17), 10), ends_at=_at(
        date(2026, 11, 17), 11, 30), time_zone="America/Toronto")
    assert old.starts_on == date(2026, 11, 15) and new.starts_on == date(2027, 11, 14)
    assert moved_date(occurrence, old, new) == (_at(date(2027, 11, 16), 10),
                                                _at(date(2027, 11, 16), 11, 30))
    outside = Occurrence(starts_at=_at(date(2026, 12, 1), 10), ends_at=_at(
        date(2026, 12, 1), 11), time_zone="America/Toronto")
    assert moved_date(outside, old, new) is None


def test_copies_keep_every_field_and_go_to_moderation_once(client, as_user):
    edition = open_edition()
    past = EditionFactory(year=edition.year - 1)
    user = UserFactory()
    source = _past_activity(user.organization, past)
    as_user(user)
    page = _page(client.get("/mes-activites"))
    assert "Reconduire des activités des années passées" in page
    assert f'value="{source.id}"' in page

    for _click in range(2):  # a double click copies once
        response = client.post("/mes-activites/reconduire", data={"ids": [str(source.id)]})
        assert response.status_code == 302
    copies = db.session.scalars(db.select(Activity).where(Activity.edition_id == edition.id)
                                ).all()
    assert len(copies) == 1
    copy = copies[0]
    for name in ("title", "description", "category", "audience", "format", "venue_name",
                 "address", "postal_code", "municipality_code", "poster_name", "poster_alt",
                 "latitude", "longitude", "region_code", "geocoding_status", "contact_email",
                 "accessibility_notes", "time_zone"):
        assert getattr(copy, name) == getattr(source, name), name
    assert (copy.state, copy.reconducted_from_id, copy.dates_to_set) == (
        ActivityState.SUBMITTED, source.id, 0)
    tuesday, thursday = edition.starts_on + timedelta(days=2), edition.starts_on + timedelta(4)
    assert [(o.starts_at, o.ends_at) for o in copy.occurrences] == [
        (_at(tuesday, 9, 30), _at(tuesday, 11)), (_at(thursday, 18), _at(thursday, 19, 45))]
    assert {o.uid for o in copy.occurrences}.isdisjoint({o.uid for o in source.occurrences})
    mails = db.session.scalars(db.select(OutboxMessage.kind)).all()
    assert mails == ["activity.submitted"]
    assert "déjà reconduite" in _page(client.get("/mes-activites"))

    client.post("/deconnexion")
    as_user(StaffFactory())
    page = _page(client.get("/equipe/moderation"))
    assert copy.title in page and f"reconduite de {past.year}" in page


def test_a_date_outside_its_week_is_left_for_the_organizer(client, as_user):
    edition = open_edition()
    past = EditionFactory(year=edition.year - 1)
    user = UserFactory()
    after_week = past.ends_on + timedelta(days=3)
    source = _past_activity(user.organization, past)
    source.occurrences.append(Occurrence(starts_at=_at(after_week, 10),
                                         ends_at=_at(after_week, 11),
                                         time_zone="America/Toronto"))
    db.session.commit()
    as_user(user)
    response = client.post("/mes-activites/reconduire", data={"ids": [str(source.id)]},
                           follow_redirects=True)
    assert "Certaines dates n'ont pas pu être déplacées" in _page(response)
    copy = db.session.scalar(db.select(Activity).where(Activity.edition_id == edition.id))
    assert (copy.dates_to_set, len(copy.occurrences)) == (1, 2)
    assert "dates à préciser" in _page(client.get("/mes-activites"))
    assert "1 date n'a pas pu être déplacée" in _page(
        client.get(f"/mes-activites/{copy.id}/modifier"))
    data = form_data(edition, submission_token=None)
    assert client.post(f"/mes-activites/{copy.id}/modifier", data=data).status_code == 302
    db.session.refresh(copy)
    assert copy.dates_to_set == 0


def test_only_own_past_activities_not_refused_are_copied(client, as_user):
    edition = open_edition()
    past = EditionFactory(year=edition.year - 1)
    user = UserFactory()
    other = _past_activity(OrganizationFactory(), past)
    refused = _past_activity(user.organization, past, state=ActivityState.REJECTED,
                             rejection_reason="Hors sujet")
    current = ActivityFactory(organization=user.organization, edition=edition)
    as_user(user)
    client.post("/mes-activites/reconduire",
                data={"ids": [str(other.id), str(refused.id), str(current.id)]})
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 3
    assert client.post("/mes-activites/reconduire", data={"ids": ["abc"]}).status_code == 400
    response = client.post("/mes-activites/reconduire", data={}, follow_redirects=True)
    assert "Cochez au moins une activité à reconduire." in _page(response)


def test_nothing_is_copied_when_registrations_are_closed(client, as_user):
    edition = open_edition()
    edition.registration_closes_on = date.today() - timedelta(days=1)
    past = EditionFactory(year=edition.year - 1)
    user = UserFactory()
    source = _past_activity(user.organization, past)
    as_user(user)
    assert "Reconduire des activités" not in _page(client.get("/mes-activites"))
    response = client.post("/mes-activites/reconduire", data={"ids": [str(source.id)]},
                           follow_redirects=True)
    assert "Les inscriptions ne sont pas ouvertes : rien n'a été reconduit." in _page(response)
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 1


def test_a_copy_without_any_date_cannot_be_published(client, as_user):
    edition = open_edition()
    past = EditionFactory(year=edition.year - 1)
    user = UserFactory()
    after_week = past.ends_on + timedelta(days=3)
    source = ActivityFactory(organization=user.organization, edition=past, occurrences=[
        Occurrence(starts_at=_at(after_week, 10), ends_at=_at(after_week, 11),
                   time_zone="America/Toronto")])
    as_user(user)
    client.post("/mes-activites/reconduire", data={"ids": [str(source.id)]})
    copy = db.session.scalar(db.select(Activity).where(Activity.edition_id == edition.id))
    assert (copy.dates_to_set, copy.occurrences) == (1, [])
    client.post("/deconnexion")
    as_user(StaffFactory())
    response = client.post(f"/equipe/moderation/{copy.id}/approuver", follow_redirects=True)
    assert "ne peut pas être publiée dans son état actuel" in _page(response)
    db.session.refresh(copy)
    assert copy.state is ActivityState.SUBMITTED
