"""axe-core on every public page with real content, and on the activity submission form."""
import pytest

from gstp.activities.models import ActivityState
from tests.browser.a11y import axe_violations, describe
from tests.factories import ActivityFactory, EditionFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def published(app):
    """A current edition with one published and one cancelled activity."""
    from gstp.editions.services import current_edition

    edition = current_edition() or EditionFactory(year=2099)
    ActivityFactory(edition=edition, title="Heure du conte accessible")
    return ActivityFactory(edition=edition, state=ActivityState.CANCELLED,
                           title="Spectacle annulé")


def _public_paths(activity) -> list[str]:
    return [
        "/", "/?near=G1R+4S9", "/?near=nulle-part", "/activites",
        "/activites?region=03&q=conte&all=1", "/activites?near=inconnu", "/calendrier", "/carte",
        f"/activites/{activity.id}", f"/organismes/{activity.organization.slug}",
        "/donnees", "/connexion", "/inscription", "/mot-de-passe-oublie", "/activites?lang=en",
        "/integrer", "/integre/activites", "/integre/activites?theme=dark&density=compact",
        "/?lang=en", "/carte?lang=en", f"/activites/{activity.id}?lang=en",
    ]


# Maps are checked once drawn: markers, controls and the attribution are in the page.
MAP_READY = {"/carte": "#activity-map[data-loaded] .leaflet-control-attribution a",
             "/activites/": "#activity-map .leaflet-marker-icon"}


def test_public_pages_have_no_serious_violation(app, sized_page, published, monkeypatch):
    # A tile layer (answering 404 here) brings the attribution text the maps show in production.
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "/tuiles-absentes/{z}/{x}/{y}.png")
    page, failures = sized_page, {}
    for path in _public_paths(published):
        page.goto(path)
        for prefix, selector in MAP_READY.items():
            if path.startswith(prefix) and page.locator("#activity-map").count():
                page.wait_for_selector(selector)
        violations = axe_violations(page)
        if violations:
            failures[f"{path} ({page.locator('html').get_attribute('lang')})"] = describe(
                violations)
    assert failures == {}


def test_submission_form_has_no_serious_violation(page, published):
    organizer = UserFactory(email="a11y@organisme.example")
    page.goto("/connexion")
    page.fill("#email", organizer.email)
    page.fill("#password", "motdepasse-test-1")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    page.goto("/mes-activites/nouvelle")
    assert axe_violations(page) == []
    # With every field in error, messages are still announced accessibly.
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.locator("[aria-invalid=true]").count() >= 1
