"""Organizers' pages: dashboard, edit, cancel, attendance, and who may open them."""
from datetime import date, timedelta
from html import unescape

import pytest

from gstp.activities.models import Activity, ActivityState, AttendanceReport, GeocodingStatus
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import form_data, open_edition
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory

ROUTES = [
    ("get", "/mes-activites"),
    ("get", "/mes-activites/nouvelle"),
    ("post", "/mes-activites/nouvelle"),
    ("get", "/mes-activites/{id}/modifier"),
    ("post", "/mes-activites/{id}/modifier"),
    ("get", "/mes-activites/{id}/annuler"),
    ("post", "/mes-activites/{id}/annuler"),
    ("get", "/mes-activites/{id}/participation"),
    ("post", "/mes-activites/{id}/participation"),
]


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_anonymous_is_sent_to_sign_in(client, method, route):
    activity = ActivityFactory(edition=open_edition())
    response = getattr(client, method)(route.format(id=activity.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize(("method", "route"), [r for r in ROUTES if "{id}" in r[1]])
@pytest.mark.parametrize("state", [ActivityState.SUBMITTED, ActivityState.PUBLISHED])
def test_other_organization_gets_404_and_changes_nothing(client, as_user, method, route, state):
    activity = ActivityFactory(edition=EditionFactory(year=date.today().year - 1), state=state,
                               title="Activité d'un autre organisme")
    as_user(UserFactory())
    response = getattr(client, method)(route.format(id=activity.id),
                                       data=form_data(activity.edition, title="Piraté"))
    assert response.status_code == 404
    db.session.refresh(activity)
    assert (activity.title, activity.state) == ("Activité d'un autre organisme", state)
    assert activity.attendance is None


def test_account_without_organization_is_refused(client, as_user):
    from gstp.organizations.models import User

    user = UserFactory(organization=None)
    assert db.session.get(User, user.id).organization_id is None
    as_user(user)
    assert client.get("/mes-activites").status_code == 403
    assert client.get("/mes-activites/nouvelle").status_code == 403


def test_dashboard_lists_own_activities_only(client, as_user):
    edition = open_edition()
    mine = ActivityFactory(edition=edition, state=ActivityState.REJECTED,
                           rejection_reason="Précisez l'adresse.",
                           geocoding_status=GeocodingStatus.TO_LOCATE)
    old = ActivityFactory(edition=EditionFactory(year=edition.year - 2),
                          organization=mine.organization, title="Fête de l'an passé")
    ActivityFactory(edition=edition, title="Activité voisine")
    as_user(UserFactory(organization=mine.organization))
    html = _page(client.get("/mes-activites"))
    assert mine.title in html and old.title in html
    assert "Activité voisine" not in html
    assert "Refusée" in html and "Précisez l'adresse." in html
    assert "à localiser" in html
    assert "Éditions passées" in html
    assert f"/mes-activites/{mine.id}/modifier" in html
    assert f"/mes-activites/{old.id}/participation" in html
    assert f'href="/activites/{old.id}"' in html


def test_staff_may_open_any_activity_form(client, as_user):
    activity = ActivityFactory(edition=open_edition(), state=ActivityState.SUBMITTED)
    as_user(StaffFactory())
    response = client.get(f"/mes-activites/{activity.id}/modifier")
    assert response.status_code == 200
    assert f'value="{activity.title}"' in response.get_data(as_text=True)


def test_edit_keeps_published_state_and_updates_at_once(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition)
    as_user(UserFactory(organization=activity.organization))
    form = _page(client.get(f"/mes-activites/{activity.id}/modifier"))
    assert 'value="10:00"' in form and "G1K3B2" in form
    response = client.post(f"/mes-activites/{activity.id}/modifier",
                           data=form_data(edition, title="Heure du conte (nouvelle heure)",
                                          **{"occurrences-0-starts": "13:00",
                                             "occurrences-0-ends": "14:00"}))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.state is ActivityState.PUBLISHED
    assert activity.title == "Heure du conte (nouvelle heure)"
    assert activity.sequence == 1
    assert activity.occurrences[0].starts_at.hour == 18  # 13:00 EST in UTC


def test_edit_of_rejected_activity_resubmits_it(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition, state=ActivityState.REJECTED,
                               rejection_reason="Adresse incomplète.")
    as_user(UserFactory(organization=activity.organization))
    html = _page(client.get(f"/mes-activites/{activity.id}/modifier"))
    assert "Adresse incomplète." in html
    client.post(f"/mes-activites/{activity.id}/modifier", data=form_data(edition))
    db.session.refresh(activity)
    assert activity.state is ActivityState.SUBMITTED
    assert activity.rejection_reason == ""


def test_edit_with_errors_keeps_input(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition)
    as_user(UserFactory(organization=activity.organization))
    response = client.post(f"/mes-activites/{activity.id}/modifier",
                           data=form_data(edition, title="", postal_code="H2X1Y"))
    html = _page(response)
    assert "Indiquez le titre de l'activité." in html
    assert 'value="H2X1Y"' in html
    db.session.refresh(activity)
    assert activity.title.startswith("Heure du conte no")


def test_cancel_flow(client, as_user):
    activity = ActivityFactory(edition=open_edition())
    as_user(UserFactory(organization=activity.organization))
    assert "Voulez-vous vraiment annuler" in _page(
        client.get(f"/mes-activites/{activity.id}/annuler"))
    response = client.post(f"/mes-activites/{activity.id}/annuler", data={"reason": "Grippe"},
                           follow_redirects=True)
    assert "Activité annulée." in _page(response)
    db.session.refresh(activity)
    assert activity.state is ActivityState.CANCELLED
    assert db.session.scalar(db.select(OutboxMessage.kind)) == "activity.cancelled"
    again = client.post(f"/mes-activites/{activity.id}/annuler", follow_redirects=True)
    assert "Cette activité ne peut pas être annulée." in _page(again)
    edit = client.get(f"/mes-activites/{activity.id}/modifier", follow_redirects=True)
    assert "Une activité annulée ne peut plus être modifiée." in _page(edit)


def test_attendance_before_start_is_refused(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition)
    if activity.occurrences[0].starts_at.date() <= date.today():
        pytest.skip("the open edition has already started")
    as_user(UserFactory(organization=activity.organization))
    response = client.post(f"/mes-activites/{activity.id}/participation",
                           data={"children": 3, "adults": 2, "organizations_reached": 1},
                           follow_redirects=True)
    assert "une fois l'activité commencée" in _page(response)
    assert db.session.scalar(db.select(db.func.count(AttendanceReport.id))) == 0


def test_attendance_report_and_edit(client, as_user):
    activity = ActivityFactory(edition=EditionFactory(year=date.today().year - 1))
    as_user(UserFactory(organization=activity.organization))
    bad = client.post(f"/mes-activites/{activity.id}/participation",
                      data={"children": "-2", "adults": "", "organizations_reached": "1"})
    html = _page(bad)
    assert "Indiquez un nombre positif." in html
    assert "Indiquez un nombre (0 si aucun)." in html
    client.post(f"/mes-activites/{activity.id}/participation",
                data={"children": "25", "adults": "18", "organizations_reached": "3"})
    form = _page(client.get(f"/mes-activites/{activity.id}/participation"))
    assert 'value="25"' in form
    client.post(f"/mes-activites/{activity.id}/participation",
                data={"children": "27", "adults": "18", "organizations_reached": "3",
                      "comments": "Beau succès"})
    [report] = db.session.scalars(db.select(AttendanceReport)).all()
    assert (report.children, report.comments) == (27, "Beau succès")
    assert "Modifier la participation" in _page(client.get("/mes-activites"))


def test_english_pages(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    client.get("/langue/en")
    html = _page(client.get("/mes-activites/nouvelle"))
    assert "Propose an activity" in html
    assert "Add a date" in html
    response = client.post("/mes-activites/nouvelle", data=form_data(edition, title=""))
    assert "Enter the title of the activity." in _page(response)
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0


def test_occurrence_rows_are_limited(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    day = edition.starts_on + timedelta(days=1)
    data = form_data(edition)
    for index in range(1, 25):
        data.update({f"occurrences-{index}-day": day.isoformat(),
                     f"occurrences-{index}-starts": "09:00", f"occurrences-{index}-ends": "10:00"})
    client.post("/mes-activites/nouvelle", data=data)
    activity = db.session.scalar(db.select(Activity))
    assert len(activity.occurrences) == 20  # rows beyond the limit are ignored
