"""The public calendar in real headless Chromium: filter the list, then the clustered map."""
from datetime import date

import pytest

from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory

pytestmark = pytest.mark.browser


def test_filter_list_by_region_then_see_markers_on_the_map(page):
    edition = EditionFactory(year=date.today().year + 1)
    conte = make_activity(edition, title="Conte au Vieux-Québec")
    make_activity(edition, title="Bricolage à Limoilou", latitude=46.83, longitude=-71.23)
    make_activity(edition, title="Jeu libre à Rimouski", municipality_code="10043",
                  region_code="01", latitude=48.45, longitude=-68.52)

    errors = []
    page.on("console", lambda m: errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/activites")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Activités")
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Région").select_option("03")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/activites?*region=03*")
    titles = page.locator("article.activity h3 a").all_inner_texts()
    assert sorted(titles) == ["Bricolage à Limoilou", "Conte au Vieux-Québec"]

    page.get_by_role("link", name="Voir sur la carte").click()
    page.wait_for_url("**/carte?*region=03*")
    page.wait_for_selector("#activity-map[data-loaded]")
    assert page.locator("#activity-map").get_attribute("data-loaded") == "2"
    # Two close points: one cluster (or two markers when zoomed in), no tiles configured.
    # Clustering animates, so icons come and go for a moment: wait for a settled layer
    # (the wait fails the test if it never settles that way).
    page.wait_for_function("""() => {
        const icons = document.querySelectorAll('.leaflet-marker-icon').length;
        const clusters = document.querySelectorAll('.marker-cluster').length;
        return (clusters === 1 && icons === 1) || (clusters === 0 && icons === 2);
    }""")
    assert page.locator(".leaflet-tile").count() == 0
    assert "2" in page.locator("#map-status").inner_text()
    assert [e for e in errors if "favicon" not in e and "404" not in e] == []

    # The activity page shows its place on a small map.
    page.goto(f"/activites/{conte.id}")
    page.wait_for_selector("#activity-map .leaflet-marker-icon")
    assert page.locator(".occurrence-links a").get_attribute("href").startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE")
