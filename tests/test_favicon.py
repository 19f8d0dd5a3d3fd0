"""Every page has an icon: /favicon.ico answers a real icon, and pages point at it."""
from io import BytesIO

from PIL import Image


def test_favicon_is_served_as_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    icon = Image.open(BytesIO(response.data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_pages_link_to_the_icon(client):
    for url in ("/", "/activites", "/connexion"):
        page = client.get(url).get_data(as_text=True)
        assert '<link rel="icon" href="/favicon.ico"' in page, url
