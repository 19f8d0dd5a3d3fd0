"""Sign in and out with the real form."""
from tests.factories import TEST_PASSWORD, StaffFactory


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


def test_login_does_not_redirect_outside(client):
    StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion?next=https://evil.example/",
                           data={"email": "equipe@gstp.example", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"
