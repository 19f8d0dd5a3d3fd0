"""Staff run the yearly cycle: create, edit, publish and close editions; registration period."""
from datetime import date, timedelta
from html import unescape

import pytest

from gstp.audit.models import AuditEntry
from gstp.editions.models import Edition
from gstp.editions.services import Registration, current_edition, edition_closed, registration
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import EditionFactory, OrganizationFactory, StaffFactory, UserFactory


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _edition_form(for_year: int, **overrides) -> dict:
    starts = date(for_year, 11, 14)
    data = {"year": str(for_year), "number": str(for_year - 2015), "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=6)).isoformat(),
            "theme": "Grandir ensemble", "theme_en": "Growing together",
            "registration_opens_on": "", "registration_closes_on": ""}
    data.update(overrides)
    return data


def test_staff_create_a_draft_then_publish_it(client, as_user):
    today = date.today()
    shown = EditionFactory(year=today.year - 1)
    as_user(StaffFactory())
    response = client.post("/equipe/editions/nouvelle", data=_edition_form(
        today.year + 1, registration_opens_on=today.isoformat(),
        registration_closes_on=date(today.year + 1, 11, 1).isoformat()))
    assert response.status_code == 302
    draft = db.session.scalar(db.select(Edition).where(Edition.year == today.year + 1))
    assert (draft.theme, draft.theme_en, draft.published_at) == (
        "Grandir ensemble", "Growing together", None)
    assert current_edition() == shown  # the public does not see a draft
    assert "Brouillon" in _page(client.get("/equipe/editions"))

    assert "Grandir ensemble" not in _page(client.get("/"))
    assert client.post(f"/equipe/editions/{draft.id}/publier").status_code == 302
    assert "Thème : Grandir ensemble" in _page(client.get("/"))
    assert "Theme: Growing together" in _page(client.get("/?lang=en"))
    db.session.expire_all()
    assert current_edition().year == today.year + 1
    assert registration(current_edition()) is Registration.OPEN
    actions = db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.target_type == "edition").order_by(AuditEntry.id)).all()
    assert actions == ["edition.created", "edition.published"]
    journal = _page(client.get("/equipe/journal"))
    assert "a créé l'édition" in journal and "a publié l'édition" in journal


def test_the_next_edition_is_proposed(client, as_user):
    EditionFactory(year=2026)
    as_user(StaffFactory())
    page = _page(client.get("/equipe/editions/nouvelle"))
    assert 'value="2027"' in page and 'value="12"' in page and 'value="2027-11-14"' in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_on": "2030-11-01"}, "Le dernier jour doit suivre le premier."),
    ({"ends_on": "2030-12-20"}, "La semaine ne peut pas durer plus de 14 jours."),
    ({"starts_on": "2031-11-16", "ends_on": "2031-11-22"},
     "La semaine doit commencer pendant l'année de l'édition."),
    ({"registration_opens_on": "2030-10-01", "registration_closes_on": "2030-09-01"},
     "La fermeture doit suivre l'ouverture des inscriptions."),
    ({"registration_closes_on": "2030-11-30"},
     "Les inscriptions doivent fermer au plus tard le dernier jour de la semaine."),
    ({"year": "2026"}, "Une édition existe déjà pour l'année 2026."),
    ({"year": "deux mille"}, "N'est pas un entier valide."),
    ({"starts_on": "14/11/2030"}, "N'est pas une date valide."),
])
def test_bad_edition_input_is_refused_in_plain_words(client, as_user, overrides, message):
    EditionFactory(year=2026)
    as_user(StaffFactory())
    response = client.post("/equipe/editions/nouvelle", data=_edition_form(2030, **overrides))
    assert response.status_code == 200
    assert message in _page(response)
    assert db.session.scalar(db.select(db.func.count(Edition.id))) == 1


def test_edit_changes_the_registration_period(client, as_user):
    edition = open_edition()
    as_user(StaffFactory())
    closes = edition.starts_on - timedelta(days=3)
    response = client.post(f"/equipe/editions/{edition.id}/modifier", data=_edition_form(
        edition.year, starts_on=edition.starts_on.isoformat(),
        ends_on=edition.ends_on.isoformat(), registration_closes_on=closes.isoformat()))
    assert response.status_code == 302
    db.session.refresh(edition)
    assert edition.registration_closes_on == closes
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "edition.updated"))
    assert entry.details["changes"]["registration_closes_on"] == [None, closes.isoformat()]
    assert "Fermeture des inscriptions" in _page(client.get("/equipe/journal"))


def test_closing_waits_for_the_end_of_the_week_then_sends_the_hook(client, as_user):
    running = open_edition()
    past = EditionFactory(year=running.year - 1)
    received = []

    def receiver(edition, **extra):
        received.append((edition.year, extra["actor"].email))

    edition_closed.connect(receiver)
    try:
        staff = StaffFactory()
        as_user(staff)
        page = _page(client.get("/equipe/editions"))
        assert page.count("Fermer l'édition") == 1  # the past one, not the running one
        assert f'action="/equipe/editions/{past.id}/fermer"' in page
        response = client.post(f"/equipe/editions/{running.id}/fermer", follow_redirects=True)
        assert "Une édition se ferme une fois sa semaine terminée." in _page(response)
        assert client.post(f"/equipe/editions/{past.id}/fermer").status_code == 302
        client.post(f"/equipe/editions/{past.id}/fermer")  # twice: closed once
    finally:
        edition_closed.disconnect(receiver)
    db.session.expire_all()
    assert running.closed_at is None and past.closed_at is not None
    assert received == [(past.year, staff.email)]
    response = client.post(f"/equipe/editions/{past.id}/modifier", data=_edition_form(
        past.year, starts_on=past.starts_on.isoformat(), ends_on=past.ends_on.isoformat()),
        follow_redirects=True)
    assert "Cette édition est fermée" in _page(response)


@pytest.mark.parametrize("route", ["/equipe/editions", "/equipe/editions/nouvelle",
                                   "/equipe/editions/{id}/modifier",
                                   "/equipe/editions/{id}/invitations"])
def test_organizers_cannot_open_edition_pages(client, as_user, route):
    edition = open_edition()
    as_user(UserFactory())
    assert client.get(route.format(id=edition.id)).status_code == 403
    assert client.post(f"/equipe/editions/{edition.id}/publier").status_code == 403


def test_unknown_edition_is_404(client, as_user):
    as_user(StaffFactory())
    assert client.get("/equipe/editions/999999/modifier").status_code == 404
    assert client.get("/equipe/editions/abc/modifier").status_code == 404


@pytest.mark.parametrize(("opens", "closes", "expected"), [
    (1, None, "ouvrent le"), (None, -1, "sont fermées depuis le")])
def test_outside_the_period_organizers_are_told_and_nothing_is_saved(
        client, as_user, opens, closes, expected):
    from gstp.activities.models import Activity

    today = date.today()
    edition = open_edition()
    edition.registration_opens_on = today + timedelta(days=opens) if opens else None
    edition.registration_closes_on = today + timedelta(days=closes) if closes else None
    db.session.commit()
    as_user(UserFactory())
    page = _page(client.get("/mes-activites/nouvelle"))
    assert f"Les inscriptions à l'édition {edition.year} {expected}" in page
    assert 'name="title"' not in page
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0
    assert expected in _page(client.get("/mes-activites"))


def test_staff_may_still_add_when_registrations_are_closed(client, as_user):
    from gstp.activities.models import Activity

    edition = open_edition()
    edition.registration_closes_on = date.today() - timedelta(days=1)
    db.session.commit()
    as_user(StaffFactory(organization=OrganizationFactory()))
    page = _page(client.get("/mes-activites/nouvelle"))
    assert "vous pouvez quand même ajouter ou modifier des activités" in page
    assert client.post("/mes-activites/nouvelle", data=form_data(edition)).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 1


def test_activities_of_a_closed_edition_stay_as_they_were(client, as_user):
    from gstp.activities.models import Activity
    from tests.factories import ActivityFactory

    past = EditionFactory(year=date.today().year - 2)
    user = UserFactory()
    activity = ActivityFactory(organization=user.organization, edition=past, title="Conte")
    staff = StaffFactory()
    as_user(staff)
    client.post(f"/equipe/editions/{past.id}/fermer")
    client.post("/deconnexion")
    as_user(user)
    response = client.post(f"/mes-activites/{activity.id}/modifier",
                           data=form_data(past, title="Réécrit"), follow_redirects=True)
    assert "Cette édition est fermée : ses activités ne peuvent plus être modifiées." in _page(
        response)
    assert db.session.get(Activity, activity.id).title == "Conte"
