"""Activities at one point are spread on the public map (spiderfied) when their cluster opens."""
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory

pytestmark = pytest.mark.browser

MONTREAL_CENTRE = {"municipality_code": "66023", "region_code": "06",
                   "latitude": 45.52662, "longitude": -73.6527, "geocoding_source": "gazetteer"}


SPREAD = """() => {
  const icons = document.querySelectorAll("#activity-map .leaflet-marker-icon[title$='Montréal']");
  const places = new Set([...icons].map(icon => {
    const r = icon.getBoundingClientRect();
    return Math.round(r.x) + "," + Math.round(r.y);
  }));
  return icons.length === 3 && places.size === 3;
}"""


def test_activities_on_one_point_spread_when_their_cluster_is_clicked(page):
    edition = EditionFactory(year=date.today().year + 1)
    for title in ("Conte", "Jeu libre", "Bricolage"):
        make_activity(edition, title=f"{title} à Montréal", **MONTREAL_CENTRE)
    make_activity(edition, title="Conte à Québec")
    page.goto("/carte")
    page.wait_for_selector("#activity-map[data-loaded='4']")
    montreal = page.locator("#activity-map .leaflet-marker-icon[title$='Montréal']")
    # Stacked in one cluster of 3, once the clustering animation has settled (markers of a
    # cluster pass through the page while it forms).
    page.wait_for_function("""() => !document.querySelector(
        "#activity-map .leaflet-marker-icon[title$='Montréal']") && [...document.querySelectorAll(
        "#activity-map .marker-cluster")].some(c => c.textContent.trim() === "3")""")
    # Spread: three markers at three distinct places once the animation ends. A click that
    # lands while Leaflet is still animating (a loaded machine) is ignored: click again.
    for attempt in range(3):
        page.locator(".marker-cluster", has_text="3").click()
        try:
            page.wait_for_function(SPREAD, timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    assert sorted(montreal.evaluate_all("icons => icons.map(i => i.title)")) == [
        "Bricolage à Montréal", "Conte à Montréal", "Jeu libre à Montréal"]
