"""Accessibility of the pages that exist now (axe-core) and keyboard use of the login form."""
import pytest

from tests.browser.a11y import axe_violations, describe
from tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.browser

PAGES = ["/", "/connexion", "/page-qui-n-existe-pas", "/?lang=en"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(page, path):
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_login_form_errors_are_accessible(page):
    page.goto("/connexion")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() == 2
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_login_form_by_keyboard_only(page):
    StaffFactory(email="clavier@gstp.example")
    page.goto("/connexion")
    page.locator("#email").focus()
    page.keyboard.type("clavier@gstp.example")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "remember"
    page.keyboard.press("Space")
    assert page.locator("#remember").is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # Enter in a field submits the form
    page.wait_for_url("**/equipe")  # staff land on « Équipe »
    assert page.get_by_text("Vous êtes connecté.").is_visible()


def test_tab_from_page_start_reaches_skip_link_then_login_fields(page):
    page.goto("/connexion")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.type"))
        if order[-1] == "submit":
            break
    fields = [item for item in order if item in {"email", "password", "remember", "submit"}]
    assert fields == ["email", "password", "remember", "submit"]


def test_harness_reports_real_violations(page):
    """The helper is not blind: a broken page yields the expected rules."""
    page.set_content('<html lang="fr"><body><main><img src="x.png"><input type="text">'
                     "</main></body></html>")
    rules = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= rules
