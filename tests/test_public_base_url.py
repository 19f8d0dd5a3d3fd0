"""Absolute links: PUBLIC_BASE_URL in production (required); unset elsewhere, the request's."""
import re
from datetime import date
from html import unescape
from urllib.parse import unquote

import pytest

from gstp import create_app
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory
from tests.organizations.test_signup import signup_data


@pytest.fixture
def unset_base_url(app):
    """The app as in development: no PUBLIC_BASE_URL."""
    app.config["PUBLIC_BASE_URL"] = ""
    yield app
    app.config["PUBLIC_BASE_URL"] = "http://localhost"


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="((?:https?|webcal)://[^"]*)"', unescape(html))


def _own_links(links, host):
    """Links to this site (Google's carry ours inside): all on the host the request used."""
    google = [unquote(unquote(link)) for link in links
              if link.startswith("https://calendar.google.com")]
    ours = [link for link in links if not link.startswith("https://calendar.google.com")
            and ("127.0.0.1" in link or "localhost" in link)]
    assert ours, links
    assert all(link.startswith((f"http://{host}/", f"webcal://{host}/")) for link in ours), ours
    assert all(f"{host}/" in link for link in google), google
    return ours + google


@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:5001"])
def test_links_follow_the_address_the_app_is_reached_at(client, unset_base_url, host):
    base = f"http://{host}"
    edition = EditionFactory(year=date.today().year + 1)
    activity = make_activity(edition)
    page = client.get(f"/activites/{activity.id}", base_url=base).get_data(as_text=True)
    links = _own_links(_links(page), host)
    assert f"webcal://{host}/regions/03/calendrier.ics" in links
    assert any(link.startswith("https://calendar.google.com") for link in _links(page))
    calendar = client.get("/calendrier", base_url=base).get_data(as_text=True)
    _own_links(_links(calendar), host)
    feed = client.get(f"/activites/{activity.id}.ics", base_url=base).get_data(as_text=True)
    assert f"URL:{base}/activites/{activity.id}" in feed.replace("\r\n ", "")
    builder = unescape(client.get("/integrer", base_url=base).get_data(as_text=True))
    assert f'<iframe src="{base}/integre/activites?' in builder

    client.post("/inscription", data=signup_data(), base_url=base)
    message = db.session.scalar(db.select(OutboxMessage))
    assert f"{base}/" in message.body_text
    assert "127.0.0.1:5000" not in message.body_text + (message.body_html or "")


def test_a_configured_address_wins_over_the_host_header(client):
    edition = EditionFactory(year=date.today().year + 1)
    activity = make_activity(edition)
    page = client.get(f"/activites/{activity.id}", base_url="http://attaquant.example"
                      ).get_data(as_text=True)
    assert "attaquant.example" not in page
    assert "webcal://localhost/regions/03/calendrier.ics" in page


def test_production_refuses_to_start_without_it(database_url):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
                "GSTP_DEMO": False}
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app({**settings, "PUBLIC_BASE_URL": ""})
    assert create_app({**settings, "PUBLIC_BASE_URL": "https://gstp.example.org"})
    # The local demo and tests derive it from the request.
    assert create_app({**settings, "PUBLIC_BASE_URL": "", "GSTP_DEMO": True})
    assert create_app({**settings, "PUBLIC_BASE_URL": "", "TESTING": True})
