"""Anonymous visitors get no cookie, except the place they typed and asked to remember."""
from gstp.calendar.home import PLACE_COOKIE
from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory

PUBLIC_PAGES = ("/", "/activites", "/calendrier", "/carte", "/confidentialite", "/donnees",
                "/integrer", "/activites?near=G5L+1A1", "/?near=G5L+1A1",
                "/?near=Atlantide&retenir=1", "/calendrier.ics", "/activites.atom")


def test_browsing_the_public_pages_sets_no_cookie(app, client, monkeypatch):
    # As in production: a page holding a CSRF token would open a session (and its cookie).
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    activity = ActivityFactory(edition=open_edition())
    for path in (*PUBLIC_PAGES, f"/activites/{activity.id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    assert client.get_cookie(PLACE_COOKIE) is None


def test_the_place_cookie_is_set_only_once_accepted_and_forgotten_on_demand(client):
    ActivityFactory(edition=open_edition(), title="Jeu libre à Rimouski",
                    municipality_code="10043", region_code="01")
    typed = client.get("/?near=G5L+1A1")
    assert "Set-Cookie" not in typed.headers
    assert 'name="retenir" value="1"' in typed.get_data(as_text=True)
    assert " checked" not in typed.get_data(as_text=True).split('name="retenir"')[1][:20]

    accepted = client.get("/?near=G5L+1A1&retenir=1")
    [cookie] = accepted.headers.getlist("Set-Cookie")
    assert cookie.startswith(f"{PLACE_COOKIE}=") and "HttpOnly" in cookie
    html = client.get("/").get_data(as_text=True)
    assert "Ce lieu est retenu sur cet appareil dans un témoin, sans aucun suivi." in html
    assert '<a href="/?near=">Oublier ce lieu</a>' in html

    forgotten = client.get("/?near=")
    assert f"{PLACE_COOKIE}=;" in forgotten.headers["Set-Cookie"]
    assert client.get_cookie(PLACE_COOKIE) is None
    assert "Ce lieu est retenu" not in client.get("/").get_data(as_text=True)
