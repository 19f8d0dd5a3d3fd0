"""Staff pages of organizations and people: search, history, deactivation, staff invitation,
merging two organizations."""
import re
from html import unescape

import pytest

from gstp.activities.models import Activity
from gstp.activities.survey import SurveyAnswer, SurveyQuestion
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.organizations.models import Organization, User, UserRole
from tests.activities.helpers import open_edition
from tests.conftest import login
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_list_search_and_one_organization_across_editions(client, as_user):
    edition = open_edition()
    past = EditionFactory(year=edition.year - 1)
    library = OrganizationFactory(name="Bibliothèque de Rimouski", municipality_code="10043",
                                  region_code="01")
    OrganizationFactory(name="CPE Les Petits Pas")
    for one in (past, edition):
        ActivityFactory(organization=library, edition=one, title=f"Conte {one.year}")
    UserFactory(organization=library, email="biblio@rimouski.example")
    as_user(StaffFactory())
    page = _page(client.get("/equipe/organismes?q=rimouski"))
    assert "Bibliothèque de Rimouski" in page and "CPE Les Petits Pas" not in page
    assert f"{past.year}, {edition.year}" in page
    assert "CPE Les Petits Pas" in _page(client.get("/equipe/organismes?q=petits"))
    assert "Bibliothèque" not in _page(client.get("/equipe/organismes?region=03&q=biblio"))
    page = _page(client.get(f"/equipe/organismes/{library.id}"))
    assert f"Conte {past.year}" in page and f"Conte {edition.year}" in page
    assert "biblio@rimouski.example" in page
    assert client.get("/equipe/organismes?page=abc").status_code == 400
    assert client.get("/equipe/organismes/999999").status_code == 404


def test_deactivating_an_account_ends_its_sessions(app, client, as_user):
    member = UserFactory(email="membre@org.example")
    other = app.test_client()
    assert login(other, member.email).status_code == 302
    assert other.get("/mes-activites").status_code == 200
    as_user(StaffFactory())
    response = client.post(f"/equipe/comptes/{member.id}/desactiver", follow_redirects=True)
    assert "Le compte membre@org.example est désactivé." in _page(response)
    db.session.refresh(member)
    assert member.is_active_account is False
    assert other.get("/mes-activites").status_code == 302  # signed out
    assert login(other, member.email).status_code == 200  # refused: the form again
    assert other.get("/mes-activites").status_code == 302
    client.post(f"/equipe/comptes/{member.id}/reactiver")
    db.session.refresh(member)
    assert member.is_active_account is True
    actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["account.deactivated", "account.reactivated"]


def test_staff_cannot_deactivate_staff_nor_themselves(client, as_user):
    colleague = StaffFactory()
    me = StaffFactory()
    as_user(me)
    assert client.post(f"/equipe/comptes/{colleague.id}/desactiver").status_code == 403
    assert client.post(f"/equipe/comptes/{me.id}/desactiver").status_code == 403
    assert client.post("/equipe/comptes/1/effacer").status_code == 404
    db.session.refresh(colleague)
    assert colleague.is_active_account is True


def test_an_admin_invites_a_staff_member_who_creates_the_account(client, as_user):
    admin = AdminFactory()
    as_user(admin)
    response = client.post("/equipe/personnes", data={"email": "Nouvelle@Collectif.example"},
                           follow_redirects=True)
    assert "Invitation envoyée" in _page(response)
    mail = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.kind == "account.staff_invitation"))
    assert mail.to_address == "nouvelle@collectif.example"
    link = re.search(r"http://localhost(/equipe/invitation/\S+)", mail.body_text).group(1)
    response = client.post("/equipe/personnes", data={"email": admin.email})
    assert "Un compte existe déjà pour cette adresse." in _page(response)

    client.post("/deconnexion")
    assert "Créer votre compte" in _page(client.get(link))
    response = client.post(link, data={"name": "Nouvelle Personne",
                                       "password": "un-mot-de-passe-solide",
                                       "password_confirm": "un-mot-de-passe-solide"})
    assert response.status_code == 302
    created = db.session.scalar(db.select(User).where(
        User.email == "nouvelle@collectif.example"))
    assert created.role is UserRole.STAFF and created.email_verified_at is not None
    assert client.get("/equipe").status_code == 200
    assert client.get(link, follow_redirects=True).status_code == 200  # used: sign in instead
    assert client.get("/equipe/invitation/pas-un-jeton").status_code == 400


def test_only_admins_invite_staff(client, as_user):
    as_user(StaffFactory())
    assert client.post("/equipe/personnes", data={"email": "x@y.example"}).status_code == 403


def test_merging_moves_activities_members_answers_and_redirects(client, as_user):
    edition = open_edition()
    kept = OrganizationFactory(name="Maison de la famille de Québec", slug="maison-quebec")
    double = OrganizationFactory(name="Maison de la Famille de Quebec", slug="maison-qc")
    activity = ActivityFactory(organization=double, edition=edition, title="Fête des familles")
    member = UserFactory(organization=double)
    question = SurveyQuestion(edition_id=edition.id, text_fr="La GSTP est-elle importante ?")
    db.session.add(question)
    db.session.flush()
    db.session.add_all([SurveyAnswer(question_id=question.id, organization_id=kept.id,
                                     answer=True),
                        SurveyAnswer(question_id=question.id, organization_id=double.id,
                                     answer=False)])
    db.session.commit()
    as_user(StaffFactory())
    page = _page(client.get(f"/equipe/organismes/{kept.id}"))
    assert "Maison de la Famille de Quebec" in page  # proposed as a look-alike
    page = _page(client.get(f"/equipe/organismes/{kept.id}/fusionner?avec={double.id}"))
    assert "« Maison de la Famille de Quebec » sera fusionné dans" in page
    response = client.post(f"/equipe/organismes/{kept.id}/fusionner",
                           data={"avec": str(double.id)}, follow_redirects=True)
    assert "1 activité(s) et 1 personne(s) déplacées" in _page(response)
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).organization_id == kept.id
    assert db.session.get(User, member.id).organization_id == kept.id
    answers = db.session.scalars(db.select(SurveyAnswer)).all()
    assert [(a.organization_id, a.answer) for a in answers] == [(kept.id, True)]
    assert db.session.get(Organization, double.id).merged_into_id == kept.id
    assert "Fête des familles" in _page(client.get("/organismes/maison-quebec"))
    response = client.get("/organismes/maison-qc")
    assert (response.status_code, response.headers["Location"]) == (
        301, "/organismes/maison-quebec")
    response = client.get(f"/equipe/organismes/{double.id}")
    assert response.headers["Location"] == f"/equipe/organismes/{kept.id}"
    assert "Maison de la Famille de Quebec" not in _page(client.get("/equipe/organismes"))
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "organization.merged"))
    assert entry.details["merged"] == "Maison de la Famille de Quebec"
    assert "a fusionné un doublon dans l'organisme" in _page(client.get("/equipe/journal"))


@pytest.mark.parametrize("avec", ["self", "merged"])
def test_an_organization_cannot_be_merged_into_itself_or_twice(client, as_user, avec):
    kept, other = OrganizationFactory(), OrganizationFactory()
    if avec == "merged":
        other.merged_into_id = OrganizationFactory().id
        db.session.commit()
    as_user(StaffFactory())
    target = kept.id if avec == "self" else other.id
    response = client.post(f"/equipe/organismes/{kept.id}/fusionner",
                           data={"avec": str(target)}, follow_redirects=True)
    assert "Ces deux organismes ne peuvent pas être fusionnés." in _page(response)
    assert client.get(f"/equipe/organismes/{kept.id}/fusionner").status_code == 404


def test_organizers_cannot_open_staff_organization_pages(client, as_user):
    organization = OrganizationFactory()
    as_user(UserFactory())
    assert client.get("/equipe/organismes").status_code == 403
    assert client.get(f"/equipe/organismes/{organization.id}").status_code == 403
    assert client.post(f"/equipe/organismes/{organization.id}/fusionner",
                       data={"avec": "1"}).status_code == 403
