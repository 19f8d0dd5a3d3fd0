"""The home page in real headless Chromium."""
import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens_and_switches_language(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Grande semaine des tout-petits"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Français").is_visible()
