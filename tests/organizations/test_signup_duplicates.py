"""Signing up an organization that looks registered: shown, join asked, or confirmed apart."""
from datetime import UTC, datetime
from html import unescape
from urllib.parse import urlsplit

from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.organizations.models import Organization, User
from tests.factories import OrganizationFactory, UserFactory
from tests.organizations.test_signup import signup_data


def _quebec(**overrides):
    return signup_data(**{"org_name": "Maison de la Famille de Quebec", "region": "03",
                          "municipality": "Québec"} | overrides)


def _existing():
    organization = OrganizationFactory(name="Maison de la famille de Québec",
                                       slug="maison-de-la-famille-de-quebec")
    member = UserFactory(organization=organization, email="direction@mfq.example",
                         email_verified_at=datetime.now(UTC))
    return organization, member


def test_similar_name_in_the_same_municipality_is_shown_before_anything_is_created(client):
    organization, _ = _existing()
    response = client.post("/inscription", data=_quebec())
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Un organisme au nom semblable est déjà inscrit dans cette municipalité :" in html
    assert ('<a href="/organismes/maison-de-la-famille-de-quebec">'
            "Maison de la famille de Québec</a>") in html
    assert f'name="join" value="{organization.id}"' in html
    assert "Demander à la rejoindre" in html and "C'est un autre organisme" in html
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1
    # Confirmed as another organization: registered as usual.
    response = client.post("/inscription", data=_quebec(not_duplicate="y"))
    assert response.status_code == 200 and "Vérifiez vos courriels" in unescape(
        response.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 2


def test_asking_to_join_mails_the_members_with_an_invitation_link(client, as_user):
    organization, member = _existing()
    response = client.post("/inscription", data=_quebec(join=str(organization.id)))
    html = unescape(response.get_data(as_text=True))
    assert "Les membres de Maison de la famille de Québec ont reçu votre demande" in html
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 1
    assert db.session.scalar(db.select(User).where(User.email == "camille@mfrimouski.example")
                             ) is None
    [mail] = db.session.scalars(db.select(OutboxMessage)
                                .where(OutboxMessage.kind == "account.join_request")).all()
    assert mail.to_address == "direction@mfq.example"
    assert mail.reply_to == "camille@mfrimouski.example"
    assert "Camille Tremblay (camille@mfrimouski.example)" in mail.body_text
    link = next(word for word in mail.body_text.split() if "/invitations" in word)
    as_user(member)
    url = urlsplit(link)
    page = unescape(client.get(f"{url.path}?{url.query}").get_data(as_text=True))
    assert 'value="camille@mfrimouski.example"' in page


def test_other_municipality_or_name_registers_without_a_question(client):
    _existing()
    for n, data in enumerate([signup_data(org_name="Maison de la famille de Québec",
                                          email="a@rimouski.example"),
                              _quebec(org_name="CPE Les Petits Pas", email="b@cpe.example")]):
        response = client.post("/inscription", data=data)
        assert "Vérifiez vos courriels" in unescape(response.get_data(as_text=True)), n
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == 3
