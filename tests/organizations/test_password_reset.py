"""Password reset by e-mail: single-use, expiring links; "Mon compte" password change."""
import time
from html import unescape

from itsdangerous import TimestampSigner

from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.worker import send_pending
from gstp.organizations.tokens import RESET_MAX_AGE, RESET_SALT, make_token, password_fingerprint
from tests.factories import TEST_PASSWORD, UserFactory
from tests.mail_fixtures import link_paths

NEW_PASSWORD = "nouveau-mot-de-passe-42"


def login(client, email, password):
    return client.post("/connexion", data={"email": email, "password": password})


def test_reset_end_to_end_and_the_link_dies_after_use(client, smtp_server):
    user = UserFactory(email="oubli@organisme.example")
    assert "Mot de passe oublié" in client.get("/connexion").get_data(as_text=True)
    response = client.post("/mot-de-passe-oublie", data={"email": "OUBLI@organisme.example"},
                           follow_redirects=True)
    assert "un lien pour choisir un nouveau mot de passe" in response.get_data(as_text=True)
    assert send_pending()["sent"] == 1
    [message] = smtp_server.to(user.email)
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    [path] = link_paths(message)

    assert client.get(path).status_code == 200
    html = unescape(client.post(path, data={"password": NEW_PASSWORD,
                                            "password_confirm": "pas-pareil-du-tout"}
                                ).get_data(as_text=True))
    assert "Les deux mots de passe ne sont pas identiques." in html
    response = client.post(path, data={"password": NEW_PASSWORD,
                                       "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert login(client, user.email, TEST_PASSWORD).status_code == 200
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
    client.post("/deconnexion")

    # Single use: the password hash changed, so the fingerprint in the link no longer matches.
    response = client.post(path, data={"password": "encore-un-autre-mdp",
                                       "password_confirm": "encore-un-autre-mdp"})
    assert response.status_code == 400
    assert login(client, user.email, NEW_PASSWORD).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/mot-de-passe-oublie", data={"email": "personne@nulle.example"},
                           follow_redirects=True)
    assert "un lien pour choisir un nouveau mot de passe" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_tampered_expired_or_foreign_reset_links_are_refused(client, monkeypatch):
    user = UserFactory(email="cible@organisme.example")
    payload = {"u": user.id, "p": password_fingerprint(user.password_hash)}
    good = make_token(RESET_SALT, payload)
    tampered = good[:10] + ("A" if good[10] != "A" else "B") + good[11:]
    other_purpose = make_token("gstp.verify-email", payload)
    stale = make_token(RESET_SALT, {"u": user.id, "p": "0" * 16})
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time() - RESET_MAX_AGE.total_seconds() - 60))
    expired = make_token(RESET_SALT, payload)
    monkeypatch.undo()

    for token in (tampered, other_purpose, stale, expired):
        response = client.post(f"/mot-de-passe/{token}",
                               data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
        assert response.status_code == 400
    assert "Ce lien a expiré." in client.get(f"/mot-de-passe/{expired}").get_data(as_text=True)
    assert login(client, user.email, TEST_PASSWORD).status_code == 302


def test_reset_also_verifies_the_address(client):
    user = UserFactory(email="jamais@organisme.example", email_verified_at=None)
    token = make_token(RESET_SALT, {"u": user.id, "p": password_fingerprint(user.password_hash)})
    client.post(f"/mot-de-passe/{token}",
                data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert login(client, user.email, NEW_PASSWORD).status_code == 302


def test_account_page_changes_name_and_password(client, as_user):
    user = UserFactory(name="Ancien nom")
    assert client.get("/mon-compte").status_code == 302  # anonymous: sent to sign in
    as_user(user)
    assert 'value="Ancien nom"' in client.get("/mon-compte").get_data(as_text=True)
    assert client.post("/mon-compte", data={"name": "  Nouveau nom "}).status_code == 302
    db.session.refresh(user)
    assert user.name == "Nouveau nom"

    html = unescape(client.post("/mon-compte/mot-de-passe", data={
        "current_password": "pas-le-bon-mdp", "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD}).get_data(as_text=True))
    assert "Le mot de passe actuel est incorrect." in html
    html = unescape(client.post("/mon-compte/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": "court", "password_confirm": "court"}
    ).get_data(as_text=True))
    assert "au moins 10 caractères" in html
    assert client.post("/mon-compte/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD}).status_code == 302
    client.post("/deconnexion")
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
