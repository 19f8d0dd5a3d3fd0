"""Malformed requests get clear error pages, never a server error."""
import re
from urllib.parse import urlencode

import pytest

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory


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


# --- Form bodies are checked before anything reads them (CSRF on, as in production) ----

@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _signed_in_form(client, as_user) -> tuple[dict, str]:
    """Valid activity fields with the CSRF token of a signed-in organizer's form page."""
    edition = open_edition()
    organizer = UserFactory()
    html = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/connexion", data={"email": organizer.email, "password": TEST_PASSWORD,
                                           "csrf_token": token}).status_code == 302
    html = client.get("/mes-activites/nouvelle").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    fields = {**form_data(edition), "csrf_token": token}
    return fields, fields.pop("title")


def _urlencoded(fields: dict, title: bytes) -> bytes:
    return urlencode(fields).encode() + b"&title=" + title


def _multipart(fields: dict, title: bytes, title_headers: str = "") -> bytes:
    """A multipart body as a browser builds it (no charset per part), the title as given."""
    parts = [f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields.items()]
    parts.append(f'--b\r\nContent-Disposition: form-data; name="title"\r\n{title_headers}'
                 "\r\n".encode() + title + b"\r\n")
    return b"".join(parts) + b"--b--\r\n"


def _activity_titles():
    return db.session.scalars(db.select(Activity.title)).all()


def test_non_utf8_urlencoded_title_is_refused_before_csrf_and_the_view(client, as_user,
                                                                        csrf_on):
    fields, _ = _signed_in_form(client, as_user)
    response = client.post("/mes-activites/nouvelle", data=_urlencoded(fields, b"%FF%FE"),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)
    assert _activity_titles() == []
    # The same body with a UTF-8 title passes CSRF and the view: the title was the problem.
    response = client.post("/mes-activites/nouvelle",
                           data=_urlencoded(fields, b"F%C3%AAte+des+tout-petits"),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert _activity_titles() == ["Fête des tout-petits"]


def test_latin1_multipart_title_is_refused_not_stored_mangled(client, as_user, csrf_on):
    fields, _ = _signed_in_form(client, as_user)
    content_type = "multipart/form-data; boundary=b"
    latin1 = "Fête des tout-petits".encode("latin-1")
    for body in (_multipart(fields, latin1),
                 # Declared, Werkzeug would decode it as Latin-1: only UTF-8 is accepted.
                 _multipart(fields, latin1, "Content-Type: text/plain; charset=iso-8859-1\r\n")):
        response = client.post("/mes-activites/nouvelle", content_type=content_type, data=body)
        assert response.status_code == 400
    assert _activity_titles() == []
    response = client.post("/mes-activites/nouvelle", content_type=content_type,
                           data=_multipart(fields, "Fête des tout-petits".encode()))
    assert response.status_code == 302
    assert _activity_titles() == ["Fête des tout-petits"]


@pytest.mark.parametrize("body", [
    b'--b\r\nContent-Disposition: form-data; name="t\xe9"\r\n\r\nx\r\n--b--\r\n',  # name
    b"--b\r\nno headers at all\r\n--b--\r\n",  # not multipart
    b'--b\r\nContent-Disposition: form-data; name="t"\r\n\r\n\xff',  # cut short
])
def test_broken_multipart_is_400(client, body):
    response = client.post("/connexion", data=body,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 400


def test_multipart_without_boundary_is_400(client):
    response = client.post("/connexion", data=b"email=a", content_type="multipart/form-data")
    assert response.status_code == 400


def test_file_contents_are_not_text(client):
    body = (b'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx@y.example\r\n'
            b'--b\r\nContent-Disposition: form-data; name="piece"; filename="a.bin"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n\xff\xfe\x00\r\n--b--\r\n")
    response = client.post("/connexion", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 200  # the sign-in form answers (wrong password)
