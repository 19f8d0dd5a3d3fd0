"""Redirect targets from requests: what passes stays on this site, as a browser reads it."""
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gstp.security.redirects import safe_local_path

SITE = "https://gstp.example"
# Characters browsers treat specially at the start of a URL, and some plain ones.
TRICKY = st.sampled_from(["/", "\\", "\t", "\n", "\r", " ", "\x00", "\x0b", "\x0c", ":", ".",
                          "@", "%2f", "%09", "?", "#", "evil.example", "http", "https:",
                          "javascript:", "\u3000", "\u2215", "a", "équipe"])
TARGETS = st.lists(TRICKY, min_size=1, max_size=8).map("".join)


def test_paths_of_the_site_pass_and_come_back_as_read():
    assert safe_local_path("/mes-activites/nouvelle?x=1#y") == "/mes-activites/nouvelle?x=1#y"
    assert safe_local_path("/\t\tmes-activites") == "/mes-activites"
    assert safe_local_path(None) is None and safe_local_path("") is None


@pytest.mark.parametrize("target", [
    "//evil.example", "/\t/evil.example", "/\\evil.example", "\\/evil.example",
    "/\r\n/evil.example", " \t//evil.example", "https://evil.example", "evil.example",
    "javascript:alert(1)", "/\x00/evil.example",
])
def test_other_sites_and_schemes_are_refused(target):
    assert safe_local_path(target) is None


@pytest.fixture(scope="module")
def blank_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.browser
@settings(max_examples=25, deadline=None)
@given(targets=st.lists(TARGETS, min_size=20, max_size=60))
def test_chromium_resolves_every_accepted_target_on_this_site(blank_page, targets):
    """Chromium's own URL parser is the judge: an accepted target never leaves the site."""
    accepted = [path for path in map(safe_local_path, targets) if path is not None]
    assume(accepted)
    origins = blank_page.evaluate(
        "([targets, base]) => targets.map(t => new URL(t, base).origin)",
        [accepted, f"{SITE}/connexion"])
    assert set(origins) <= {SITE}, [t for t, o in zip(accepted, origins, strict=True)
                                    if o != SITE]


@pytest.mark.browser
def test_chromium_agrees_the_refused_targets_lead_away(blank_page):
    """The refused examples are real dangers: Chromium sends each of them off the site."""
    hostile = ["//evil.example", "/\t/evil.example", "/\\evil.example", "\\/evil.example",
               "/\r\n/evil.example", " \t//evil.example", "https://evil.example"]
    origins = blank_page.evaluate(
        "([targets, base]) => targets.map(t => new URL(t, base).origin)",
        [hostile, f"{SITE}/connexion"])
    assert all(origin != SITE for origin in origins), origins
    assert all(safe_local_path(target) is None for target in hostile)
