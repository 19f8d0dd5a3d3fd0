"""Staff moderation queue, audit log and staff home through real requests."""
from datetime import date, time
from html import unescape

import pytest

from gstp.activities import services
from gstp.activities.models import ActivityState, Category
from gstp.activities.moderation import set_state
from gstp.activities.occurrences import OccurrenceInput
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import open_edition
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)

ROUTES = [
    ("get", "/equipe"),
    ("get", "/equipe/moderation"),
    ("post", "/equipe/moderation/{id}/approuver"),
    ("get", "/equipe/moderation/{id}/refuser"),
    ("post", "/equipe/moderation/{id}/refuser"),
    ("post", "/equipe/moderation/approuver"),
    ("get", "/equipe/journal"),
]


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _submitted(**kwargs):
    kwargs.setdefault("edition", open_edition())
    return ActivityFactory(state=ActivityState.SUBMITTED, published_at=None, **kwargs)


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_anonymous_is_sent_to_sign_in(client, method, route):
    activity = _submitted()
    response = getattr(client, method)(route.format(id=activity.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_organizers_are_refused(client, as_user, method, route):
    activity = _submitted()
    as_user(UserFactory(organization=activity.organization))  # even its own organization
    response = getattr(client, method)(route.format(id=activity.id),
                                       data={"ids": [activity.id], "reason": "Non"})
    assert response.status_code == 403
    db.session.refresh(activity)
    assert activity.state is ActivityState.SUBMITTED


@pytest.mark.parametrize("factory", [StaffFactory, AdminFactory])
def test_staff_and_admin_open_every_page(client, as_user, factory):
    activity = _submitted()
    as_user(factory())
    for route in ("/equipe", "/equipe/moderation", f"/equipe/moderation/{activity.id}/refuser",
                  "/equipe/journal"):
        assert client.get(route).status_code == 200, route
    assert client.get("/equipe/moderation/99999/refuser").status_code == 404
    assert client.post("/equipe/moderation/99999/approuver").status_code == 404


def test_staff_home_links_tools_and_counts_waiting(client, as_user):
    _submitted()
    _submitted()
    as_user(StaffFactory())
    html = _page(client.get("/equipe"))
    assert "2 activité(s) en attente d'approbation" in html
    assert 'href="/equipe/moderation"' in html and 'href="/equipe/journal"' in html


def test_approve_in_one_click(client, as_user):
    activity = _submitted(contact_email="contact@organisme.example")
    staff = StaffFactory()
    as_user(staff)
    html = _page(client.get("/equipe/moderation"))
    assert activity.title in html and activity.organization.name in html
    assert f'action="/equipe/moderation/{activity.id}/refuser"' in html  # reason inline
    response = client.post(f"/equipe/moderation/{activity.id}/approuver",
                           data={"next": "/equipe/moderation?state=submitted"})
    assert response.headers["Location"] == "/equipe/moderation?state=submitted"
    db.session.refresh(activity)
    assert activity.state is ActivityState.PUBLISHED
    assert db.session.scalar(db.select(OutboxMessage.kind)) == "activity.published"
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "activity.published"))
    assert entry.actor_id == staff.id
    again = client.post(f"/equipe/moderation/{activity.id}/approuver", follow_redirects=True)
    assert "ne peut pas être publiée dans son état actuel" in _page(again)
    outside = client.post(f"/equipe/moderation/{activity.id}/approuver",
                          data={"next": "https://evil.example/"})
    assert outside.headers["Location"] == "/equipe/moderation"


def test_reject_asks_for_a_reason(client, as_user):
    activity = _submitted()
    as_user(StaffFactory())
    missing = client.post(f"/equipe/moderation/{activity.id}/refuser", data={"reason": " "})
    assert "Indiquez la raison du refus : l'organisme la verra." in _page(missing)
    db.session.refresh(activity)
    assert activity.state is ActivityState.SUBMITTED
    client.post(f"/equipe/moderation/{activity.id}/refuser",
                data={"reason": "Il manque l'adresse du lieu."})
    db.session.refresh(activity)
    assert activity.state is ActivityState.REJECTED
    assert activity.rejection_reason == "Il manque l'adresse du lieu."
    mail = db.session.scalar(db.select(OutboxMessage))
    assert mail.kind == "activity.rejected"
    assert "Il manque l'adresse du lieu." in mail.body_text


def test_published_cannot_be_rejected_through_the_page(client, as_user):
    activity = ActivityFactory(edition=open_edition())
    as_user(StaffFactory())
    response = client.post(f"/equipe/moderation/{activity.id}/refuser",
                           data={"reason": "Trop tard"}, follow_redirects=True)
    assert "ne peut pas être refusée dans son état actuel" in _page(response)
    db.session.refresh(activity)
    assert activity.state is ActivityState.PUBLISHED


def test_bulk_approve(client, as_user):
    first, second, third = _submitted(), _submitted(), _submitted()
    published = ActivityFactory(edition=first.edition)
    as_user(StaffFactory())
    response = client.post("/equipe/moderation/approuver",
                           data={"ids": [first.id, second.id, published.id]},
                           follow_redirects=True)
    html = _page(response)
    assert "2 activité(s) publiée(s)." in html
    assert "1 activité(s) n'étaient plus en attente." in html
    for activity in (first, second, third):
        db.session.refresh(activity)
    assert [a.state for a in (first, second, third)] == [
        ActivityState.PUBLISHED, ActivityState.PUBLISHED, ActivityState.SUBMITTED]
    empty = client.post("/equipe/moderation/approuver", follow_redirects=True)
    assert "Cochez au moins une activité." in _page(empty)


def test_filters(client, as_user):
    edition = open_edition()
    montreal_org = OrganizationFactory(name="Table de concertation de Montréal-Nord")
    quebec = _submitted(edition=edition, title="Conte à Québec")
    montreal = _submitted(edition=edition, organization=montreal_org, municipality_code="66023",
                          region_code="06", title="Fête à Montréal",
                          category=Category.COMMUNITY_EVENT)
    old = _submitted(edition=EditionFactory(year=date.today().year - 3), title="Vieille fête")
    ActivityFactory(edition=edition, title="Déjà publiée")
    as_user(StaffFactory())

    def titles(query=""):
        html = _page(client.get("/equipe/moderation" + query))
        return {t for t in ("Conte à Québec", "Fête à Montréal", "Vieille fête", "Déjà publiée")
                if t in html}

    assert titles() == {"Conte à Québec", "Fête à Montréal"}  # waiting, current edition
    assert titles("?region=06") == {"Fête à Montréal"}
    assert titles("?category=evenement_communautaire") == {"Fête à Montréal"}
    assert titles(f"?organization={montreal_org.id}") == {"Fête à Montréal"}
    assert titles(f"?edition={old.edition_id}") == {"Vieille fête"}
    assert titles("?edition=&state=") == {"Conte à Québec", "Fête à Montréal", "Vieille fête",
                                          "Déjà publiée"}
    assert titles("?state=published") == {"Déjà publiée"}
    for junk in ("?category=n-importe-quoi", "?state=x", "?edition=%C2%B2", "?page=0",
                 "?organization=99999999999999999999"):
        assert client.get("/equipe/moderation" + junk).status_code == 400, junk
    assert quebec.id != montreal.id


def test_pagination(client, as_user):
    edition = open_edition()
    for number in range(27):
        _submitted(edition=edition, title=f"Activité numéro {number:02d}")
    as_user(StaffFactory())
    first = _page(client.get("/equipe/moderation"))
    assert "Page 1 sur 2" in first
    assert "Activité numéro 00" in first and "Activité numéro 26" not in first
    second = _page(client.get("/equipe/moderation?page=2"))
    assert "Activité numéro 26" in second and "Activité numéro 00" not in second


def test_journal_lists_and_filters(client, as_user):
    activity = _submitted()
    alice, bob = StaffFactory(email="alice@gstp.example"), StaffFactory(email="bob@gstp.example")
    set_state(activity=activity, state=ActivityState.REJECTED, actor=alice,
              reason="Doublon")
    set_state(activity=activity, state=ActivityState.SUBMITTED, actor=bob)
    db.session.commit()
    as_user(alice)
    html = _page(client.get("/equipe/journal"))
    assert "a refusé l'activité" in html and "a soumis l'activité" in html
    assert "activity.rejected</" not in html and "activity 1" not in html
    assert f'href="/mes-activites/{activity.id}/modifier">« {activity.title} »</a>' in html
    assert "<td><del>En attente d'approbation</del></td><td><ins>Refusée</ins></td>" in html
    assert "alice@gstp.example" in html and "Motif : Doublon" in html
    only_bob = _page(client.get("/equipe/journal?actor=BOB@"))
    assert 'data-action="activity.submitted"' in only_bob
    assert 'data-action="activity.rejected"' not in only_bob
    rejected = _page(client.get("/equipe/journal?action=activity.rejected"))
    assert 'data-action="activity.rejected"' in rejected
    assert 'data-action="activity.submitted"' not in rejected
    by_target = _page(client.get(f"/equipe/journal?target_type=activity&target_id={activity.id}"
                                 f"&since={date.today().replace(day=1).isoformat()}"))
    assert 'data-action="activity.rejected"' in by_target
    organizations = _page(client.get("/equipe/journal?target_type=organization"))
    assert 'data-action="activity.rejected"' not in organizations
    none = _page(client.get("/equipe/journal?until=2000-01-01"))
    assert "Aucune action ne correspond à ces filtres." in none


def test_journal_shows_field_labels_and_values_in_words(client, as_user):
    activity = _submitted()
    staff_member = StaffFactory()
    services.update_activity(activity=activity, actor=staff_member,
                             fields={"title": "Heure du conte au parc", "is_free": False,
                                     "price_details": "5 $", "contact_email": None},
                             dates=[OccurrenceInput(date(2026, 5, 12), time(9, 30),
                                                    time(11, 0))])
    db.session.commit()
    as_user(staff_member)
    html = _page(client.get("/equipe/journal?action=activity.updated"))
    assert "a modifié l'activité" in html and "« Heure du conte au parc »" in html
    assert ('<th scope="row">Activité gratuite</th><td><del>Oui</del></td><td><ins>Non</ins>'
            in html)
    assert "<th scope=\"row\">Tarif</th><td><del>—</del></td><td><ins>5 $</ins>" in html
    assert "<ins>mardi 12 mai 2026, 09:30 – 11:00</ins>" in html
    assert "None" not in html and "fields" not in html
    english = _page(client.get("/equipe/journal?action=activity.updated",
                               headers={"Accept-Language": "en"}))
    assert "edited the activity" in english and "<th scope=\"row\">Free activity</th>" in english
    assert "<del>Yes</del>" in english and ">Before</th>" in english
