"""Organization profile, members and invitations; nobody acts for another organization."""
from html import unescape

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.worker import send_pending
from gstp.organizations.models import User
from tests.factories import OrganizationFactory, StaffFactory, UserFactory
from tests.mail_fixtures import link_paths

PASSWORD = "mot-de-passe-invite-1"


def test_invitation_end_to_end(client, as_user, smtp_server):
    organizer = UserFactory(name="Camille Tremblay")
    organization = organizer.organization
    as_user(organizer)
    response = client.post("/organisme/invitations", data={"email": "Alex@CPE.example"})
    assert response.status_code == 302
    assert send_pending()["sent"] == 1
    [message] = smtp_server.to("alex@cpe.example")
    assert message["Reply-To"] == organizer.email
    assert organization.name in message["Subject"]
    [path] = link_paths(message)
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id, entry.details) == (
        "organization.invited", organizer.id, organization.id, {"email": "alex@cpe.example"})
    client.post("/deconnexion")

    page = client.get(path).get_data(as_text=True)
    assert organization.name in page and "alex@cpe.example" in page
    response = client.post(path, data={"name": "Alex Gagnon", "password": PASSWORD,
                                       "password_confirm": PASSWORD})
    assert response.status_code == 302
    invited = db.session.scalar(db.select(User).where(User.email == "alex@cpe.example"))
    assert invited.organization_id == organization.id
    assert invited.email_verified_at is not None
    # Signed in by the link already; the members list shows both people.
    html = client.get("/organisme/invitations").get_data(as_text=True)
    assert "Alex Gagnon" in html and "Camille Tremblay" in html

    client.post("/deconnexion")
    assert client.get(path, follow_redirects=False).status_code == 302  # used: account exists
    assert client.post(path, data={"name": "Intrus", "password": PASSWORD,
                                   "password_confirm": PASSWORD}).status_code == 302
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2
    assert client.post("/connexion", data={"email": "alex@cpe.example", "password": PASSWORD}
                       ).status_code == 302


def test_inviting_an_existing_account_is_refused(client, as_user):
    organizer = UserFactory()
    UserFactory(email="deja@ailleurs.example")
    as_user(organizer)
    html = unescape(client.post("/organisme/invitations", data={"email": "deja@ailleurs.example"}
                                ).get_data(as_text=True))
    assert "Un compte existe déjà avec cette adresse courriel." in html
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_tampered_invitation_is_refused(client):
    response = client.get("/invitation/eyJvIjoxLCJlIjoieEB5LnoifQ.abc.def")
    assert response.status_code == 400
    assert "personne qui vous a invité" in unescape(response.get_data(as_text=True))


def test_profile_is_edited_by_its_members(client, as_user):
    organizer = UserFactory()
    organization = organizer.organization
    as_user(organizer)
    html = client.get("/organisme/profil").get_data(as_text=True)
    assert f'value="{organization.name}"' in html and 'value="Québec"' in html
    response = client.post("/organisme/profil", data={
        "org_name": "CPE Les Petits Pas", "org_type": "service_de_garde", "region": "04",
        "municipality": "Trois-Rivières", "website": "https://petitspas.example",
        "phone": "819 555-0199", "org_email": "", "languages": ["fr"],
        "description": "Centre de la petite enfance."})
    assert response.status_code == 302
    db.session.refresh(organization)
    assert (organization.name, organization.region_code, organization.municipality.name,
            organization.email, organization.description) == (
        "CPE Les Petits Pas", "04", "Trois-Rivières", None, "Centre de la petite enfance.")
    [entry] = db.session.scalars(db.select(AuditEntry)
                                 .where(AuditEntry.action == "organization.updated")).all()
    assert entry.details["changes"]["name"][1] == "CPE Les Petits Pas"
    assert entry.details["changes"]["region_code"][1] == "04"
    assert "languages" not in entry.details["changes"]

    html = unescape(client.post("/organisme/profil", data={
        "org_name": "", "org_type": "service_de_garde", "region": "04", "languages": ["fr"],
        "website": "pas une adresse"}).get_data(as_text=True))
    assert "Indiquez le nom de l'organisme." in html
    assert "Cette adresse web n'est pas valide" in html


def test_organizer_cannot_touch_another_organization(client, as_user):
    organizer = UserFactory()
    other = OrganizationFactory(name="Organisme B")
    as_user(organizer)
    assert client.get(f"/organismes/{other.id}/profil").status_code == 403
    assert client.post(f"/organismes/{other.id}/profil", data={
        "org_name": "Piraté", "org_type": "autre", "region": "01", "languages": ["fr"]}
    ).status_code == 403
    assert client.get(f"/organismes/{other.id}/invitations").status_code == 403
    assert client.post(f"/organismes/{other.id}/invitations",
                       data={"email": "complice@pirate.example"}).status_code == 403
    assert client.get("/organismes/999999/profil").status_code == 404
    db.session.refresh(other)
    assert other.name == "Organisme B"
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    # Their own organization, by its number, is fine.
    assert client.get(f"/organismes/{organizer.organization_id}/profil").status_code == 200


def test_staff_may_manage_any_organization_but_not_without_one(client, as_user):
    other = OrganizationFactory(name="Organisme B")
    as_user(StaffFactory())
    assert client.get(f"/organismes/{other.id}/profil").status_code == 200
    assert client.get("/organisme/profil").status_code == 404  # staff have no own organization


def test_pages_need_a_signed_in_organizer(client, as_user):
    assert client.get("/organisme/profil").status_code == 302
    assert client.get("/organisme/invitations").status_code == 302
    as_user(UserFactory(organization=None))
    assert client.get("/organisme/profil").status_code == 403
