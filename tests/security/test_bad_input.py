"""Malformed requests get clear error pages, never a server error."""
from tests.factories import StaffFactory


def test_broken_utf8_in_query_string_is_400(client):
    response = client.get("/?q=%C3%28", headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_raw_non_utf8_bytes_in_query_string_is_400(client):
    # WSGI carries raw bytes as latin-1 text: this is the single byte 0xE9, not UTF-8.
    response = client.get("/", environ_overrides={"QUERY_STRING": "q=caf\xe9"})
    assert response.status_code == 400


def test_valid_utf8_query_is_accepted(client):
    assert client.get("/?q=%C3%A9t%C3%A9+2026").status_code == 200


def test_broken_utf8_in_form_body_is_400(client):
    response = client.post("/connexion", data=b"email=a%FF%FE@example.org&password=x",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)


def test_raw_non_utf8_bytes_in_form_body_is_400(client):
    response = client.post("/connexion", data=b"email=caf\xe9@example.org&password=x",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_form_body_still_parsed_after_the_check(client):
    StaffFactory(email="equipe@gstp.example")
    response = client.post("/connexion", data=b"email=equipe%40gstp.example&password=faux",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert 'value="equipe@gstp.example"' in response.get_data(as_text=True)


def test_oversized_body_is_413_in_french(client):
    response = client.post("/connexion", data={"email": "a@b.ca", "password": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "Contenu trop volumineux" in response.get_data(as_text=True)


def test_unknown_route_is_404(client):
    response = client.get("/wp-admin/setup.php")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_broken_utf8_in_path_is_404_not_500(client):
    assert client.get("/%C3%28").status_code == 404


def test_raw_bad_query_on_unknown_route_is_400_not_500(client):
    # Without the guard, rendering the error page itself read ?lang= and crashed.
    response = client.get("/inconnue", environ_overrides={"QUERY_STRING": "lang=\xff"})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)
