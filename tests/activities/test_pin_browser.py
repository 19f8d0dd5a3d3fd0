"""An organizer drags the pin of an activity in real headless Chromium; the saved place keeps it."""
import pytest

from gstp.activities.models import GeocodingStatus
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.factories import TEST_PASSWORD, ActivityFactory, UserFactory

pytestmark = pytest.mark.browser


def test_organizer_drags_the_pin_and_the_saved_activity_keeps_it(page):
    user = UserFactory()
    activity = ActivityFactory(edition=open_edition(), organization=user.organization,
                               created_by_id=user.id)
    geocoded = (activity.latitude, activity.longitude)
    db.session.commit()
    page.goto("/connexion")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/mes-activites/{activity.id}/modifier")
    pin = page.locator("#geo-map .leaflet-marker-icon")
    page.locator("#geo-map").scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 30, steps=8)
    page.mouse.up()
    latitude = float(page.locator("#latitude").input_value())
    longitude = float(page.locator("#longitude").input_value())
    # Dragged right and down: east and south of the geocoded point.
    assert latitude < geocoded[0] and longitude > geocoded[1]
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "Activité enregistrée" in page.locator(".flashes").inner_text()
    db.session.refresh(activity)
    assert activity.latitude == pytest.approx(latitude, abs=1e-6)
    assert activity.longitude == pytest.approx(longitude, abs=1e-6)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    # Opened again, the form shows the pin where it was left.
    page.goto(f"/mes-activites/{activity.id}/modifier")
    assert float(page.locator("#latitude").input_value()) == pytest.approx(latitude, abs=1e-6)


def test_new_activity_map_previews_the_address_then_takes_a_click(page):
    open_edition()
    user = UserFactory()
    db.session.commit()
    page.goto("/connexion")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/mes-activites/nouvelle")
    assert page.locator("#geo-map .leaflet-marker-icon").count() == 0
    page.locator("#address").fill("1, rue du Quai")
    page.locator("#municipality").fill("Blanc-Sablon (98005)")
    page.locator("#municipality").dispatch_event("change")
    page.wait_for_selector("#geo-map[data-previewed='approximate']")
    assert page.locator("#geo-map .leaflet-marker-icon").count() == 1
    assert "seule la municipalité est connue" in page.locator("#pin-status").inner_text()
    assert page.locator("#latitude").input_value() == ""  # the server will place the address
    page.locator("#geo-map").scroll_into_view_if_needed()
    page.locator("#geo-map").click(position={"x": 120, "y": 90})
    assert float(page.locator("#latitude").input_value()) > 51  # near Blanc-Sablon
