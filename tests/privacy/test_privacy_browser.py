"""At 390 px: the policy link, the place notice and « Oublier ce lieu » in Chromium."""
import pytest

from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_policy_link_place_notice_and_forgetting_the_place(phone_page):
    page = phone_page
    ActivityFactory(edition=open_edition(), title="Jeu libre à Rimouski",
                    municipality_code="10043", region_code="01")
    page.goto("/")
    page.get_by_role("link", name="Politique de confidentialité").click()
    page.wait_for_url("**/confidentialite")
    assert page.get_by_role("heading", level=1).inner_text() == "Politique de confidentialité"
    assert page.get_by_role("heading", name="Témoins (cookies)").is_visible()
    assert _no_horizontal_scroll(page)

    page.goto("/")
    page.get_by_label("Près de chez moi").fill("G5L 1A1")
    page.get_by_role("button", name="Voir près de chez moi").click()
    page.wait_for_url("**/?near=*")
    assert page.locator("#place-notice").inner_text().startswith(
        "Ce lieu n'est pas retenu sur cet appareil.")
    assert page.context.cookies() == []  # typed, not accepted: nothing stored

    page.get_by_label("Retenir ce lieu sur cet appareil").check()
    page.get_by_role("button", name="Voir près de chez moi").click()
    page.wait_for_load_state()
    assert [c["name"] for c in page.context.cookies()] == ["gstp_lieu"]
    page.goto("/")
    notice = page.locator("#place-notice")
    assert notice.is_visible() and "retenu sur cet appareil dans un témoin" in notice.inner_text()
    assert page.get_by_role("heading", name="Prochaines activités · Bas-Saint-Laurent").is_visible()
    assert _no_horizontal_scroll(page)

    page.get_by_role("link", name="Oublier ce lieu").click()
    page.wait_for_load_state()
    assert page.context.cookies() == []
    page.goto("/")
    assert page.locator("#place-notice").count() == 0
    assert page.get_by_role("heading", name="Prochaines activités", exact=True).is_visible()


def test_privacy_pages_have_no_serious_violation_at_both_widths(sized_page):
    from tests.browser.a11y import axe_violations, describe
    from tests.browser_fixtures import sign_in
    from tests.factories import StaffFactory, UserFactory
    from tests.privacy.test_incidents import INCIDENT

    page, failures = sized_page, {}
    organizer, staff = UserFactory(), StaffFactory()
    StaffFactory()  # so that the first staff account may be deleted: the form shows

    def check(paths):
        for path in paths:
            page.goto(path)
            if violations := axe_violations(page):
                failures[path] = describe(violations)
            if not _no_horizontal_scroll(page):
                failures[path] = "horizontal scroll"

    check(["/confidentialite", "/confidentialite?lang=en"])
    sign_in(page, organizer.email)
    check(["/mon-compte", "/mon-compte/donnees", "/mon-compte/supprimer"])
    page.context.clear_cookies()
    sign_in(page, staff.email)
    page.goto("/equipe/incidents/nouveau")
    for name, value in INCIDENT.items():
        if value:
            page.locator(f"#{name}").fill(value)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/equipe/incidents")
    assert page.locator("table.data-table tbody tr").count() == 1
    check(["/equipe/incidents", "/equipe/incidents/nouveau", "/equipe/confidentialite",
           "/mon-compte/supprimer"])
    assert failures == {}
