"""Sign-up of an organization with its first member, address verification, sign-in."""
import re
import time
from html import unescape

from itsdangerous import TimestampSigner

from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.worker import send_pending
from gstp.organizations.models import Organization, OrganizationType, User
from gstp.organizations.tokens import VERIFY_MAX_AGE, VERIFY_SALT, make_token
from tests.factories import TEST_PASSWORD, UserFactory
from tests.mail_fixtures import html_body, link_paths, text_body

PASSWORD = "un-mot-de-passe-solide"


def signup_data(**overrides) -> dict:
    data = {
        "org_name": "Maison de la famille de Rimouski", "org_type": "organisme_famille",
        "region": "01", "municipality": "rimouski", "website": "www.mfrimouski.example",
        "phone": "418 555-0123 poste 12", "org_email": "Info@MFRimouski.example",
        "languages": ["fr", "en"], "name": "Camille Tremblay",
        "email": "Camille@MFRimouski.example", "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def test_signup_page_offers_types_and_the_17_regions(client):
    html = client.get("/inscription").get_data(as_text=True)
    assert "Organisme communautaire Famille" in html
    assert "Bas-Saint-Laurent" in html and "Centre-du-Québec" in html
    assert html.count('<option value="') - html.count('<option value=""') >= 17 + 13
    assert 'list="municipality-names"' in html


def test_signup_verify_and_sign_in_end_to_end(client, smtp_server):
    response = client.post("/inscription", data=signup_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "camille@mfrimouski.example" in html

    user = db.session.scalar(db.select(User))
    organization = user.organization
    assert organization.name == "Maison de la famille de Rimouski"
    assert organization.type is OrganizationType.FAMILY_ORGANIZATION
    assert organization.municipality.name == "Rimouski"
    assert (organization.region_code, organization.languages) == ("01", "fr,en")
    assert organization.website == "https://www.mfrimouski.example"
    assert organization.email == "info@mfrimouski.example"
    assert user.email == "camille@mfrimouski.example" and user.email_verified_at is None

    # The e-mail waits in the outbox: nothing was sent during the request.
    row = db.session.scalar(db.select(OutboxMessage))
    assert (row.kind, row.status, row.to_address) == (
        "account.verify", OutboxStatus.PENDING, user.email)
    assert smtp_server.messages == []

    assert client.post("/connexion", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 200  # not verified yet

    assert send_pending() == {"sent": 1, "retry": 0, "failed": 0}
    [message] = smtp_server.messages
    assert message["To"] == user.email
    assert message["Subject"] == "Confirmez votre adresse courriel"
    [path] = link_paths(message)
    assert path.startswith("/inscription/confirmer/")
    assert path in html_body(message)

    # The link verifies the address, signs in and leads to « Mes activités ».
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == "/mes-activites"
    db.session.refresh(user)
    assert user.email_verified_at is not None and user.last_login_at is not None
    html = client.get("/mes-activites").get_data(as_text=True)
    assert "Votre adresse courriel est confirmée" in html and user.email in html

    # Used again, the link verifies nothing new and signs nobody in.
    client.post("/deconnexion")
    response = client.get(path, follow_redirects=True)
    assert response.request.path == "/connexion"
    assert "déjà confirmée" in unescape(response.get_data(as_text=True))
    assert client.get("/mes-activites").status_code == 302
    response = client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/mes-activites"


def test_unverified_account_is_told_and_can_get_a_new_link(client, smtp_server):
    user = UserFactory(email="nouveau@organisme.example", email_verified_at=None)
    response = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD})
    html = unescape(response.get_data(as_text=True))
    assert "n'est pas encore confirmée" in html
    assert "Renvoyer le lien de confirmation" in html
    assert "Se déconnecter" not in html

    # A wrong password says nothing about the account's state.
    html = client.post("/connexion", data={"email": user.email, "password": "mauvais-mdp-123"}
                       ).get_data(as_text=True)
    assert "pas encore confirmée" not in html and "Courriel ou mot de passe incorrect." in html

    response = client.post("/inscription/renvoyer", data={"email": user.email})
    assert response.status_code == 302
    send_pending()
    [message] = smtp_server.to(user.email)
    assert client.get(link_paths(message)[0]).status_code == 302
    assert client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD}
                       ).status_code == 302


def test_resend_for_unknown_or_verified_address_sends_nothing(client):
    UserFactory(email="deja@organisme.example")
    for address in ("inconnu@organisme.example", "deja@organisme.example"):
        response = client.post("/inscription/renvoyer", data={"email": address},
                               follow_redirects=True)
        assert "Si un compte non confirmé utilise cette adresse" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_taken_address_gets_the_new_sign_up_answer_and_its_owner_an_e_mail(
        client, smtp_server):
    owner = UserFactory(email="camille@mfrimouski.example", name="Camille Déjà")
    organizations_before = db.session.scalar(db.select(db.func.count(Organization.id)))
    taken = client.post("/inscription", data=signup_data())
    assert taken.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == organizations_before
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1

    # The page cannot tell a stranger the address is registered: byte for byte the answer
    # a fresh address gets (but for the address itself).
    fresh = client.post("/inscription", data=signup_data(email="nouvelle@mfrimouski.example"))
    assert taken.get_data(as_text=True).replace(owner.email, "ADDRESS") == (
        fresh.get_data(as_text=True).replace("nouvelle@mfrimouski.example", "ADDRESS"))

    # Its owner learns it through the outbox, with a way in.
    assert send_pending()["sent"] == 2
    [message] = smtp_server.to(owner.email)
    assert message["Subject"] == "Vous avez déjà un compte"
    assert "Bonjour Camille Déjà," in text_body(message)
    assert set(link_paths(message)) == {"/connexion", "/mot-de-passe-oublie"}
    assert OutboxMessage.query.filter_by(to_address=owner.email).one().kind == "account.exists"


def test_invalid_fields_get_french_messages(client):
    response = client.post("/inscription", data=signup_data(
        password="court", password_confirm="autre", region="", org_type="",
        municipality="Ville imaginaire", phone="abc", languages=[]))
    html = unescape(response.get_data(as_text=True))
    assert "Le mot de passe doit compter au moins 10 caractères." in html
    assert "Les deux mots de passe ne sont pas identiques." in html
    assert "Choisissez la région." in html
    assert "Choisissez le type d'organisme." in html
    assert "Ce numéro de téléphone n'est pas valide" in html
    assert "Cochez au moins une langue." in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_municipality_must_be_in_the_chosen_region(client):
    html = client.post("/inscription", data=signup_data(region="06")).get_data(as_text=True)
    assert "Aucune municipalité de cette région ne porte ce nom." in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_line_breaks_in_names_cannot_reach_e_mail_headers(client):
    response = client.post("/inscription", data=signup_data(
        org_name="CPE\r\nBcc: victime@ailleurs.example", name="Camille\nTremblay"))
    assert response.status_code == 200
    user = db.session.scalar(db.select(User))
    assert user.organization.name == "CPE Bcc: victime@ailleurs.example"
    assert user.name == "Camille Tremblay"
    assert db.session.scalar(db.select(OutboxMessage)).body_text.startswith(
        "Bonjour Camille Tremblay,")


def test_municipality_is_optional(client):
    assert client.post("/inscription", data=signup_data(municipality="")).status_code == 200
    organization = db.session.scalar(db.select(Organization))
    assert organization.municipality_code is None and organization.region_code == "01"


def test_tampered_expired_or_misused_verification_links_are_refused(client, monkeypatch):
    user = UserFactory(email="attente@organisme.example", email_verified_at=None)
    good = make_token(VERIFY_SALT, {"u": user.id, "e": user.email})
    tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    forged = make_token(VERIFY_SALT, {"u": user.id, "e": "autre@organisme.example"})
    wrong_purpose = make_token("gstp.reset-password", {"u": user.id, "e": user.email})
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time() - VERIFY_MAX_AGE.total_seconds() - 60))
    expired = make_token(VERIFY_SALT, {"u": user.id, "e": user.email})
    monkeypatch.undo()

    for token in (tampered, forged, wrong_purpose):
        response = client.get(f"/inscription/confirmer/{token}")
        assert response.status_code == 400
        assert "Lien invalide" in response.get_data(as_text=True)
    response = client.get(f"/inscription/confirmer/{expired}")
    assert response.status_code == 400 and "Ce lien a expiré." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_verified_at is None
    assert client.get(f"/inscription/confirmer/{good}").status_code == 302


def test_csrf_is_enforced_on_signup(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/inscription", data=signup_data())
        assert response.status_code == 400
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
        html = client.get("/inscription").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        response = client.post("/inscription", data={**signup_data(), "csrf_token": token})
        assert response.status_code == 200
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_signup_page_in_english(client):
    html = client.get("/inscription?lang=en").get_data(as_text=True)
    assert "Register an organization" in html and "Community family organization" in html
    assert "At least 10 characters." in html


def test_taken_and_new_addresses_cost_one_password_hash_each(client, monkeypatch):
    """No timing: both answers hash the typed password once, so both take as long."""
    from gstp.organizations import models, services

    hashed = []
    for module in (models, services):
        real = module.generate_password_hash
        monkeypatch.setattr(module, "generate_password_hash",
                            lambda password, real=real: hashed.append(password) or real(password))
    UserFactory(email="camille@mfrimouski.example")
    client.post("/inscription", data=signup_data())
    assert hashed == [PASSWORD]
    client.post("/inscription", data=signup_data(email="nouvelle@mfrimouski.example"))
    assert hashed == [PASSWORD, PASSWORD]
