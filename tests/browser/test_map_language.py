"""Leaflet's controls speak the page's language: zoom, popup close button, attribution."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory

pytestmark = pytest.mark.browser

ENGLISH_ONLY = ("Zoom in", "Zoom out", "Close popup", "A JavaScript library", '"Marker"')

MAP_WORDS = """(selector) => {
  const map = document.querySelector(selector);
  const words = [];
  map.querySelectorAll("*").forEach((node) => {
    for (const name of ["title", "aria-label", "alt"]) {
      if (node.getAttribute(name)) { words.push(node.getAttribute(name)); }
    }
  });
  return words;
}"""


def _open_a_popup(page):
    page.wait_for_selector("#activity-map[data-loaded]")
    marker = page.locator("#activity-map .leaflet-marker-icon").first
    # A DOM click on the icon: at 390 px a control may cover it, and the map may still move.
    for _attempt in range(3):
        marker.dispatch_event("click")
        if page.locator(".leaflet-popup-close-button").count():
            break
        page.wait_for_timeout(500)
    page.wait_for_selector(".leaflet-popup-close-button")


@pytest.mark.parametrize(("lang", "zoom_in", "zoom_out", "close", "library"), [
    ("fr", "Zoom avant", "Zoom arrière", "Fermer la fenêtre",
     "Une bibliothèque JavaScript de cartes interactives"),
    ("en", "Zoom in", "Zoom out", "Close popup", "A JavaScript library for interactive maps"),
])
def test_map_controls_in_the_page_language(sized_page, app, monkeypatch, lang, zoom_in,
                                           zoom_out, close, library):
    # A tile layer (404 here) so the attribution control shows, as in production.
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "/tuiles-absentes/{z}/{x}/{y}.png")
    edition = EditionFactory(year=date.today().year + 1)
    activity = make_activity(edition, title="Conte au parc")
    page = sized_page
    page.goto(f"/carte?lang={lang}")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", zoom_in)
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", zoom_out)
    expect(page.locator(".leaflet-control-attribution a").first).to_have_attribute(
        "title", library)
    _open_a_popup(page)
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", close)
    words = page.evaluate(MAP_WORDS, "#activity-map")
    if lang == "fr":
        assert not [w for w in words if any(e.strip('"') == w or e in w
                                            for e in ENGLISH_ONLY)], words
    # The activity's own page: its one pin and zoom buttons too.
    page.goto(f"/activites/{activity.id}?lang={lang}")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
