"""Sessions end when they should: a copied session or remember cookie dies with logout,
password change, reset and « Se déconnecter partout »."""
import pytest
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from gstp.extensions import db
from gstp.organizations.tokens import RESET_SALT, make_token, password_fingerprint
from tests.factories import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "trois-petits-chats-42"
SESSION_COOKIE = "session"


def _sign_in(client, user, remember=True):
    response = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD,
                                                "remember": "y" if remember else ""})
    assert response.status_code == 302
    return client


def _copy(client, app, *names):
    """A second browser holding copies of some of `client`'s cookies (a thief, another tab)."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value, domain=cookie.domain)
    return other


def _opens_dashboard(client) -> bool:
    response = client.get("/mes-activites")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def stolen(app, client):
    """The signed-in `client`, a copy of its session cookie and a copy of its remember cookie.

    Each copy opens « Mes activités » before the test acts.
    """
    user = UserFactory(email="camille@organisme.example")
    _sign_in(client, user)
    copies = (_copy(client, app, SESSION_COOKIE), _copy(client, app, REMEMBER_COOKIE))
    assert all(_opens_dashboard(copy) for copy in copies)
    return user, copies


def test_logout_kills_copied_session_and_remember_cookies(client, stolen):
    user, copies = stolen
    token_before = user.session_token
    assert client.post("/deconnexion").status_code == 302
    db.session.refresh(user)
    assert user.session_token != token_before
    assert not _opens_dashboard(client)
    assert not any(_opens_dashboard(copy) for copy in copies)


def test_password_reset_kills_every_session(client, stolen):
    user, copies = stolen
    token = make_token(RESET_SALT, {"u": user.id, "p": password_fingerprint(user.password_hash)})
    stranger = _copy(client, client.application)  # no cookie: the reset link is enough
    response = stranger.post(f"/mot-de-passe/{token}",
                             data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _opens_dashboard(client)
    assert not any(_opens_dashboard(copy) for copy in copies)


def test_password_change_keeps_this_session_and_ends_the_others(app, client, stolen):
    user, copies = stolen
    response = client.post("/mon-compte/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _opens_dashboard(client)
    assert not any(_opens_dashboard(copy) for copy in copies)
    # "Rester connecté" was ticked: this browser got a remember cookie for the new token.
    assert _opens_dashboard(_copy(client, app, REMEMBER_COOKIE))


def test_sign_out_everywhere_from_the_account_page(client, stolen):
    user, copies = stolen
    html = client.get("/mon-compte").get_data(as_text=True)
    assert "Se déconnecter partout" in html and 'action="/mon-compte/deconnexion-partout"' in html
    response = client.post("/mon-compte/deconnexion-partout", follow_redirects=True)
    assert "Vous êtes déconnecté sur tous vos appareils." in response.get_data(as_text=True)
    assert not _opens_dashboard(client)
    assert not any(_opens_dashboard(copy) for copy in copies)
    # Signing in again works as usual, with a fresh token.
    assert _opens_dashboard(_sign_in(client, user))


def test_cookies_name_the_session_token_not_the_row_id(client):
    user = UserFactory()
    _sign_in(client, user, remember=False)
    with client.session_transaction() as session:
        assert session["_user_id"] == user.session_token
        # A cookie made before this change carried the numeric id: it names nobody now.
        session["_user_id"] = str(user.id)
    assert not _opens_dashboard(client)


def test_sign_out_everywhere_needs_a_signed_in_post(client):
    assert client.get("/mon-compte/deconnexion-partout").status_code == 405
    response = client.post("/mon-compte/deconnexion-partout")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_deactivating_an_account_ends_its_sessions(client, stolen):
    user, copies = stolen
    user.is_active_account = False
    db.session.commit()
    assert not _opens_dashboard(client)
    assert not any(_opens_dashboard(copy) for copy in copies)
