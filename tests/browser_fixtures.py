"""Fixtures for browser tests: the app served on localhost and Debian's headless Chromium."""
import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("GSTP_CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium tries to reach Google services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def live_server(app):
    """Serve the test app on a free localhost port for the duration of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test` to install it")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def _new_context(browser, live_server, viewport=None):
    """A fresh browser context (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server, locale="fr-CA",
                                  **({"viewport": viewport} if viewport else {}))
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page (own cookies) whose relative URLs go to the live server."""
    context = _new_context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture(params=[PHONE, LAPTOP], ids=["390px", "1366px"])
def sized_page(request, browser, live_server):
    """The same fresh page at a phone's width, then at a laptop's."""
    context = _new_context(browser, live_server, request.param)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh page 390 px wide."""
    context = _new_context(browser, live_server, PHONE)
    yield context.new_page()
    context.close()


def sign_in(page, email: str, password: str | None = None) -> None:
    """Sign in through the real form (the factories' password by default)."""
    from tests.factories import TEST_PASSWORD

    page.goto("/connexion")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password or TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
