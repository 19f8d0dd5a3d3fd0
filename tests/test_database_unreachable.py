"""An app whose database refuses connections: 503 with Retry-After and a bilingual page.

A real refusal (a PostgreSQL URL on a port nobody listens on), on the SQLite run too;
the stale pages and the recovery are in tests/faults/test_database_restart.py.
"""
import socket
from html import unescape

import pytest

from gstp import create_app
from gstp.config import TestConfig


@pytest.fixture
def unreachable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: connections are refused
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI":
                      f"postgresql+psycopg://gstp@127.0.0.1:{port}/gstp"})
    return app.test_client()


@pytest.mark.parametrize("path", ["/activites", "/", "/calendrier.ics", "/activites?q=conte"])
def test_pages_answer_503_with_retry_after(unreachable, path):
    response = unreachable.get(path)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Le site revient dans quelques secondes" in html
    assert "The site will be back in a few seconds" in html
    assert "<form" not in html  # nothing typed: nothing to send again


def test_a_refused_form_is_offered_back_without_the_password(unreachable):
    response = unreachable.post("/connexion", data={
        "email": "equipe@gstp.example", "password": "secret-du-test"})
    assert response.status_code == 503
    html = unescape(response.get_data(as_text=True))
    assert '<form method="post" action="/connexion?">' in html
    assert 'name="email" value="equipe@gstp.example"' in html
    assert "secret-du-test" not in html and 'name="password"' not in html
