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
        "/activites", "/activites?region=03", "/calendrier", "/carte",
        f"/activites/{activity.id}", f"/organismes/{activity.organization.slug}",
        "/donnees", "/inscription", "/mot-de-passe-oublie", "/activites?lang=en",
        "/integrer", "/integre/activites", "/integre/activites?theme=dark&density=compact",
    ]


def test_public_pages_have_no_serious_violation(page, published):
    failures = {}
    for path in _public_paths(published):
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            failures[path] = describe(violations)
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
