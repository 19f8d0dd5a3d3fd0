"""The comparison page in headless Chromium: charts and choropleth are drawn."""
import pytest

from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.browser


def test_comparison_page_draws_charts_and_choropleth(page, editions):
    staff = StaffFactory()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/connexion?next=/equipe/statistiques")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/equipe/statistiques")
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
