"""A family on a phone and on a laptop: home page, search, near me, activity, add a date."""
from datetime import UTC, date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from tests.calendar.conftest import make_activity, occurrence_on
from tests.factories import EditionFactory

pytestmark = pytest.mark.browser

QUEBEC_POSTAL_CODE = "G1R 4S9"  # Québec city, Capitale-Nationale (03)


@pytest.fixture
def week():
    """Next year's edition: one activity in Québec on two dates, one in Rimouski."""
    edition = EditionFactory(year=date.today().year + 1)
    lecture = make_activity(edition, title="Atelier lecture en famille",
                            occurrences=[occurrence_on(edition, day=2, hour=10),
                                         occurrence_on(edition, day=4, hour=14)])
    make_activity(edition, title="Jeu libre au parc", municipality_code="10043",
                  region_code="01", latitude=48.4488, longitude=-68.5236)
    return edition, lecture


def _no_horizontal_scroll(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def _titles(page) -> list[str]:
    return page.locator("article.activity h3 a").all_inner_texts()


def test_family_finds_an_activity_near_home_and_adds_a_date(sized_page, week):
    page, width = sized_page, sized_page.viewport_size["width"]
    edition, lecture = week

    # Home page: the week's days, a search box and a postal-code box.
    page.goto("/")
    assert page.locator(".week-days li").count() == 7
    page.get_by_label("Près de chez moi").fill(QUEBEC_POSTAL_CODE)
    page.get_by_label("Retenir ce lieu sur cet appareil").check()
    page.get_by_role("button", name="Voir près de chez moi").click()
    page.wait_for_url("**/?near=*")
    heading = page.get_by_role("heading", name="Prochaines activités · Capitale-Nationale")
    assert heading.is_visible()
    assert _titles(page) == ["Atelier lecture en famille"]
    assert _no_horizontal_scroll(page) <= width
    # Remembered in a cookie: the next visit starts from the same region.
    page.goto("/")
    assert page.get_by_label("Près de chez moi").input_value() == QUEBEC_POSTAL_CODE
    assert _titles(page) == ["Atelier lecture en famille"]
    page.get_by_role("link", name="Toutes les activités près de Québec").click()
    page.wait_for_url("**/activites?near=*")
    assert _titles(page)[0] == "Atelier lecture en famille"
    # Placed offline, both are only known to their municipality: no made-up distance.
    assert "dans la même municipalité" in page.locator("article.activity .meta").first.inner_text()

    # A plain word of a title from the home page's search box.
    page.goto("/")
    page.get_by_label("Chercher une activité").fill("atelier")
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.wait_for_url("**/activites?q=atelier")
    assert _titles(page) == ["Atelier lecture en famille"]
    # The first result shows without scrolling: the filters are folded, active ones as chips.
    first = page.locator("article.activity").first.bounding_box()
    assert first["y"] < page.viewport_size["height"]
    assert not page.get_by_label("Région").is_visible()
    chip = page.get_by_role("link", name="Retirer le filtre Recherche : atelier")
    assert chip.is_visible()
    assert _no_horizontal_scroll(page) <= width
    chip.click()
    page.wait_for_url("**/activites")
    assert sorted(_titles(page)) == ["Atelier lecture en famille", "Jeu libre au parc"]

    # The activity: one Google Calendar link per date, the .ics of every date, feeds to follow.
    page.get_by_role("link", name="Atelier lecture en famille").click()
    page.wait_for_url(f"**/activites/{lecture.id}")
    links = page.locator(".occurrence-links a")
    assert links.count() == 2
    stamp = lambda d: d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")  # noqa: E731
    expected = [f"{stamp(o.starts_at)}/{stamp(o.ends_at)}" for o in lecture.occurrences]
    dates = [parse_qs(urlsplit(links.nth(i).get_attribute("href")).query)["dates"][0]
             for i in range(2)]
    assert dates == expected
    ics = page.get_by_role("link", name="Télécharger les 2 dates (.ics)")
    response = page.request.get(ics.get_attribute("href"))
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == sorted(
        o.starts_at for o in lecture.occurrences)
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(minutes=90)
               for e in events)
    follow = page.locator("section[aria-labelledby=follow-title]")
    hrefs = follow.locator("a").evaluate_all("links => links.map(a => a.href)")
    slug = lecture.organization.slug
    assert f"webcal://localhost/organismes/{slug}/calendrier.ics" in hrefs
    assert "webcal://localhost/regions/03/calendrier.ics" in hrefs
    assert "http://localhost/regions/03/calendrier.ics" in hrefs
    assert _no_horizontal_scroll(page) <= width


def test_header_menu_button_on_a_phone(phone_page):
    page = phone_page
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Se connecter").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.keyboard.press("Escape")
    assert _no_horizontal_scroll(page) <= 390


@pytest.mark.parametrize("typed", ["eveil", "ÉVEIL", "lectures"])
def test_family_finds_an_accented_title_however_it_types_it(sized_page, typed):
    edition = EditionFactory(year=date.today().year + 1)
    make_activity(edition, title="Éveil à la lecture en famille")
    make_activity(edition, title="Jeu libre au parc", description="Glissades et ballons.",
                  municipality_code="10043", region_code="01", latitude=48.4488,
                  longitude=-68.5236)
    page = sized_page
    page.goto("/")
    page.get_by_label("Chercher une activité").fill(typed)
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.wait_for_url("**/activites?q=*")
    assert _titles(page) == ["Éveil à la lecture en famille"]
    assert page.locator("article.activity").first.bounding_box()["y"] < (
        page.viewport_size["height"])
