"""Sign in and out with the real form."""
import pytest

from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory


def test_login_and_logout(client):
    staff = StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion", data={"email": "EQUIPE@gstp.example ",
                                                "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "equipe@gstp.example" in client.get("/").get_data(as_text=True)
    response = client.post("/deconnexion", follow_redirects=True)
    assert "Vous êtes déconnecté." in response.get_data(as_text=True)
    from gstp.extensions import db
    db.session.refresh(staff)
    assert staff.last_login_at is not None


def test_wrong_password_shows_french_error(client):
    StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion", data={"email": "equipe@gstp.example",
                                                "password": "pas-le-bon"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Courriel ou mot de passe incorrect." in html
    assert 'value="equipe@gstp.example"' in html  # what the user typed is kept


def test_sign_in_lands_on_the_workspace(client):
    staff = StaffFactory(email="equipe@gstp.example")
    organizer = UserFactory(email="orga@organisme.example")
    lone = UserFactory(email="seul@organisme.example", organization=None)
    for user, workspace in ((staff, "/equipe"), (organizer, "/mes-activites"), (lone, "/")):
        response = client.post("/connexion", data={"email": user.email,
                                                    "password": TEST_PASSWORD})
        assert response.headers["Location"] == workspace
        # Signed in already, the sign-in page leads there too.
        assert client.get("/connexion").headers["Location"] == workspace
        client.post("/deconnexion")


def test_sign_in_honours_a_safe_next(client):
    organizer = UserFactory(email="orga@organisme.example")
    response = client.get("/mes-activites/nouvelle")
    assert response.headers["Location"] == "/connexion?next=%2Fmes-activites%2Fnouvelle"
    response = client.post(response.headers["Location"],
                           data={"email": organizer.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/mes-activites/nouvelle"


HOSTILE_NEXT = [
    "https://evil.example/", "//evil.example", "/\t/evil.example", "/\\evil.example",
    "\\\\evil.example", "/\t\\evil.example", "/\r\n/evil.example", " //evil.example",
    "\x00//evil.example", "/\x0b/evil.example", "javascript:alert(1)", "http:/evil.example",
    "https:evil.example", "evil.example", "/\t\t/\\evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_to_another_site(client, target):
    StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion", query_string={"next": target},
                           data={"email": "equipe@gstp.example", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/equipe"


def test_the_reported_tab_redirect_is_closed(client):
    # The report: POST /connexion?next=/%09/evil.example answered Location: //evil.example.
    StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion?next=/%09/evil.example",
                           data={"email": "equipe@gstp.example", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/equipe"


@pytest.fixture
def hasher_calls(monkeypatch):
    """Every password hash checked during the test, as (method of the hash, password)."""
    from gstp.organizations import models

    calls = []
    real = models.check_password_hash

    def spy(password_hash, password):
        calls.append((password_hash.split("$", 1)[0], password))
        return real(password_hash, password)

    monkeypatch.setattr(models, "check_password_hash", spy)
    return calls


def test_unknown_address_costs_a_real_hash_check(client, hasher_calls):
    """No timing: the structure. An unknown address checks one hash made like real ones."""
    from werkzeug.security import generate_password_hash

    response = client.post("/connexion", data={"email": "personne@nulle.example",
                                                "password": "un-essai-quelconque"})
    assert "Courriel ou mot de passe incorrect." in response.get_data(as_text=True)
    real_method = generate_password_hash("x").split("$", 1)[0]  # what accounts get
    assert hasher_calls == [(real_method, "un-essai-quelconque")]


def test_known_address_and_inactive_account_check_one_hash_too(client, hasher_calls):
    active = UserFactory(email="actif@organisme.example")
    UserFactory(email="ferme@organisme.example", is_active_account=False)
    for email in (active.email, "ferme@organisme.example"):
        html = client.post("/connexion", data={"email": email, "password": "faux-mot-de-passe"}
                           ).get_data(as_text=True)
        assert "Courriel ou mot de passe incorrect." in html
    assert [password for _, password in hasher_calls] == ["faux-mot-de-passe"] * 2
    # The inactive account's right password is refused with the same words.
    html = client.post("/connexion", data={"email": "ferme@organisme.example",
                                           "password": TEST_PASSWORD}).get_data(as_text=True)
    assert "Courriel ou mot de passe incorrect." in html and len(hasher_calls) == 3
