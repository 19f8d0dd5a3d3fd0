"""The comparison page in headless Chromium: charts and choropleth are drawn."""
import pytest

from tests.factories import TEST_PASSWORD, ActivityFactory, EditionFactory, StaffFactory

pytestmark = pytest.mark.browser


def _sign_in(page, target: str) -> None:
    staff = StaffFactory()
    page.goto(f"/connexion?next={target}")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**" + target)


def test_comparison_page_draws_charts_and_choropleth(page, editions):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, "/equipe/statistiques")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Statistiques d'une édition à l'autre")
    page.wait_for_selector("#stats-map[data-ready=true]")
    for chart in ("#stats-line", "#stats-bars"):
        box = page.locator(chart).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50
        # Chart.js registers every chart it draws on its canvas.
        assert page.evaluate(f"!!Chart.getChart(document.querySelector('{chart}'))")
    # One path per polygon (17 regions, Côte-Nord in two); only 03 and 06 had activities.
    paths = page.locator("#stats-map path.leaflet-interactive")
    assert paths.count() == 18
    shaded = [paths.nth(i).get_attribute("fill") for i in range(18)]
    assert sum(fill != "#f7f4f9" for fill in shaded) == 2
    assert page.locator(".stats-legend").is_visible()
    assert page.locator("#stats-map .leaflet-tile").count() == 0  # no tile URL in tests
    assert errors == []


def test_table_of_many_editions_fits_a_1366_px_screen(page, editions):
    ids = [editions.e2024.id, editions.e2025.id, editions.e2026.id]
    for year in range(2016, 2024):  # eleven editions side by side
        ids.append(ActivityFactory(edition=EditionFactory(year=year)).edition_id)
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, "/equipe/statistiques")
    page.goto("/equipe/statistiques?" + "&".join(f"editions={i}" for i in ids))
    assert page.locator(".stats-table").first.locator("thead th").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = page.locator(".table-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the editions scroll inside
    label = page.locator(".stats-table tbody th[scope=row]").first
    before = label.bounding_box()["x"]
    box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    assert box.evaluate("e => e.scrollLeft") > 0
    assert label.bounding_box()["x"] == before  # the first column stays in place
