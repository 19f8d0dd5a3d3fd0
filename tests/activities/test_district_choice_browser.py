"""The one-click district choice of « À localiser » in real Chromium, at 390 and 1366 px."""
import pytest
from playwright.sync_api import expect

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.browser_fixtures import sign_in
from tests.factories import ActivityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser


def test_staff_click_the_district_of_a_montreal_activity(sized_page):
    page = sized_page
    activity = ActivityFactory(title="Fête de quartier", municipality_code="66023",
                               region_code="06", postal_code=None, district_code=None,
                               address="Parc Jarry", latitude=45.53, longitude=-73.63)
    sign_in(page, StaffFactory().email)
    page.goto("/equipe/a-localiser")
    section = page.get_by_role("group", name="Circonscription de « Fête de quartier »")
    # Montréal's 26 districts, each a button, wrapping inside the page on a phone.
    assert section.get_by_role("button").count() == 26
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    section.get_by_role("button", name="Verdun").click()
    page.wait_for_load_state()
    assert "Circonscription enregistrée pour « Fête de quartier »" in page.locator(
        ".flashes").inner_text()
    assert "Toutes les activités ont leur circonscription." in page.content()
    db.session.expire_all()
    chosen = db.session.get(Activity, activity.id)
    assert chosen.district.name == "Verdun"


def test_the_form_says_the_postal_code_tells_the_district_in_laval(page):
    open_edition()
    user = UserFactory()
    db.session.commit()
    sign_in(page, user.email)
    page.goto("/mes-activites/nouvelle")
    hint = page.locator("#district-hint")
    assert hint.inner_text() == ""
    page.locator("#address").fill("Centre communautaire")
    page.locator("#municipality").fill("Laval (65005)")
    page.locator("#municipality").dispatch_event("change")
    expect(hint).to_have_text("Dans cette ville, le code postal indique votre circonscription.")
    # Elsewhere (one district), nothing to say.
    page.locator("#municipality").fill("Rimouski (10043)")
    page.locator("#municipality").dispatch_event("change")
    expect(hint).to_have_text("")
    page.locator("#municipality").fill("Laval (65005)")
    page.locator("#municipality").dispatch_event("change")
    expect(hint).to_have_text("Dans cette ville, le code postal indique votre circonscription.")
    # The postal code given, the district is known: the hint goes.
    page.locator("#postal_code").fill("H7L 3M5")
    page.locator("#postal_code").dispatch_event("change")
    expect(hint).to_have_text("")
