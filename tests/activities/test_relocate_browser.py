"""The relocation map in real headless Chromium: a click on the map moves the pin."""
import pytest

from gstp.activities.models import GeocodingStatus
from tests.factories import TEST_PASSWORD, ActivityFactory, StaffFactory

pytestmark = pytest.mark.browser


def test_click_on_map_fills_inputs_and_saves(page):
    activity = ActivityFactory(latitude=None, longitude=None, region_code=None,
                               geocoding_status=GeocodingStatus.TO_LOCATE)
    staff = StaffFactory()
    page.goto("/connexion")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/equipe/a-localiser/{activity.id}")
    page.locator("#geo-map").click(position={"x": 200, "y": 150})
    latitude = page.locator("#latitude").input_value()
    longitude = page.locator("#longitude").input_value()
    assert latitude and longitude and float(latitude) != 46.81
    page.locator("#latitude").fill("46.8139")
    page.locator("#longitude").fill("-71.2245")
    page.get_by_role("button", name="Enregistrer l'emplacement").click()
    assert "Emplacement enregistré" in page.locator(".flashes").inner_text()
