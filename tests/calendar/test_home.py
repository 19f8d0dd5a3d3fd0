"""Home page: the week, search and place boxes, the visitor's region remembered in a cookie."""
import re
from datetime import UTC
from urllib.parse import parse_qs, unquote, urlsplit

from gstp.activities.models import ActivityState
from gstp.calendar.home import PLACE_COOKIE
from tests.calendar.conftest import make_activity, occurrence_on


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/activites/\d+">([^<]+)</a>', html)


def test_home_shows_the_week_search_place_box_and_feeds(client, edition):
    make_activity(edition, title="Conte à Québec")
    make_activity(edition, title="Annulée à Québec", state=ActivityState.CANCELLED)
    html = client.get("/").get_data(as_text=True)
    assert html.count('<li><a href="/activites?date=') == 7
    assert 'action="/activites" role="search"' in html and 'name="q"' in html
    assert 'id="home-near" type="text" name="near"' in html
    assert _titles(html) == ["Conte à Québec"]  # cancelled ones are not announced
    assert "webcal://localhost/calendrier.ics" in html
    assert "set-cookie" not in {k.lower() for k in client.get("/").headers.keys()}


def test_postal_code_sets_the_region_and_is_remembered(client, edition):
    make_activity(edition, title="Conte à Québec")
    make_activity(edition, title="Jeu libre à Rimouski", municipality_code="10043",
                  region_code="01", latitude=48.4488, longitude=-68.5236)
    # Typed but not accepted: shown, not remembered (the cookie is off by default).
    shown = client.get("/?near=G5L 1A1")
    assert _titles(shown.get_data(as_text=True)) == ["Jeu libre à Rimouski"]
    assert "Set-Cookie" not in shown.headers
    assert "Ce lieu n'est pas retenu sur cet appareil." in shown.get_data(as_text=True)
    assert len(_titles(client.get("/").get_data(as_text=True))) == 2
    response = client.get("/?near=G5L 1A1&retenir=1")
    html = response.get_data(as_text=True)
    assert "Ce lieu est retenu sur cet appareil dans un témoin" in html
    assert _titles(html) == ["Jeu libre à Rimouski"]
    assert "Prochaines activités · Bas-Saint-Laurent" in html
    assert "webcal://localhost/regions/01/calendrier.ics" in html
    assert 'href="/activites?near=G5L+1A1"' in html
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{PLACE_COOKIE}=") and "HttpOnly" in cookie
    assert "Cookie" in response.headers["Vary"]
    # Next visit: read back from the cookie.
    assert _titles(client.get("/").get_data(as_text=True)) == ["Jeu libre à Rimouski"]
    # An unknown place is said so and not remembered; "forget" clears the cookie.
    unknown = client.get("/?near=Atlantide&retenir=1")
    assert "Lieu introuvable" in unknown.get_data(as_text=True)
    assert "Set-Cookie" not in unknown.headers
    forget = client.get("/?near=")
    assert f"{PLACE_COOKIE}=;" in forget.headers["Set-Cookie"]
    assert sorted(_titles(client.get("/").get_data(as_text=True))) == [
        "Conte à Québec", "Jeu libre à Rimouski"]


def test_list_shows_active_filters_as_removable_chips(client, edition):
    make_activity(edition, title="Conte à Québec")
    html = client.get("/activites?q=conte&region=03&near=Québec&radius=10").get_data(
        as_text=True)
    chips = dict(re.findall(r'<a class="chip" href="([^"]+)">.*?</span>([^<]+)<', html))
    by_label = {label.strip().rstrip(" ×").strip(): unquote(url.replace("&amp;", "&"))
                for url, label in chips.items()}
    assert by_label == {
        "Recherche : conte": "/activites?region=03&near=Québec&radius=10",
        "Région : Capitale-Nationale": "/activites?q=conte&near=Québec&radius=10",
        "Près de chez moi : Québec, 10 km": "/activites?q=conte&region=03",
    }
    assert "<details class=\"more-filters\">" in html  # folded: the results come first


def test_activity_page_adds_each_date_and_follows_its_feeds(client, edition):
    activity = make_activity(edition, title="Deux dates",
                             occurrences=[occurrence_on(edition, day=1, hour=9),
                                          occurrence_on(edition, day=5, hour=13)])
    html = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    links = re.findall(r'href="(https://calendar\.google\.com/calendar/render\?action=TEMPLATE[^"]+)"',
                       html)
    dates = [parse_qs(urlsplit(link.replace("&amp;", "&")).query)["dates"][0] for link in links]
    stamp = lambda d: d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")  # noqa: E731
    assert dates == [f"{stamp(o.starts_at)}/{stamp(o.ends_at)}" for o in activity.occurrences]
    assert f'href="/activites/{activity.id}.ics" download' in html
    slug = activity.organization.slug
    for feed in (f"localhost/organismes/{slug}/calendrier.ics",
                 "localhost/regions/03/calendrier.ics"):
        assert f'href="webcal://{feed}"' in html and f'href="http://{feed}"' in html
