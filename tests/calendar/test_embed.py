"""The embeddable calendar: the snippet builder and the framed list (no cookies, own CSP)."""
import re
from html import unescape

import pytest

from gstp.activities.models import ActivityState, Category
from tests.calendar.conftest import make_activity
from tests.factories import OrganizationFactory, UserFactory


def _csp(response) -> dict:
    return dict(part.strip().split(" ", 1) for part in
                response.headers["Content-Security-Policy"].split(";"))


def test_builder_gives_the_snippet_of_a_selection(client, edition):
    make_activity(edition)
    raw = client.get("/integrer?region=03&embed_lang=en&theme=dark&density=compact").get_data(
        as_text=True)
    html = unescape(raw)
    snippet = re.search(r'<textarea id="embed-snippet"[^>]*>([^<]*)</textarea>', raw).group(1)
    # The page stays in French; the frame (and its title) will be in English.
    assert "Intégrer le calendrier" in html
    assert unescape(snippet) == (
        '<iframe src="http://localhost/integre/activites?region=03&amp;lang=en&amp;theme=dark'
        '&amp;density=compact" title="Activities of the Grande semaine des tout-petits" '
        'height="400" style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>')
    assert 'id="e-lang-en" name="embed_lang" value="en" checked' in html
    assert 'id="embed-preview"' in html
    assert 'src="/integre/activites?region=03&lang=en&theme=dark&density=compact"' in html
    # The builder itself is an ordinary page: it refuses to be framed.
    response = client.get("/integrer")
    assert _csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("args", ["region=03", "mrc=23", "municipality=23027",
                                  "organization={slug}", "category=acces_culture"])
def test_embedded_list_shows_only_the_selection_and_links_to_the_full_pages(
        client, edition, args):
    organization = OrganizationFactory()
    match = make_activity(edition, title="Conte à Québec", organization=organization,
                          category=Category.CULTURE, mrc_code="23")
    make_activity(edition, title="Jeux à Rimouski", region_code="01", municipality_code="10043",
                  mrc_code="10", latitude=48.45, longitude=-68.52)
    html = client.get("/integre/activites?" + args.format(slug=organization.slug)).get_data(
        as_text=True)
    assert "Conte à Québec" in html and "Jeux à Rimouski" not in html
    assert f'href="/activites/{match.id}" target="_top"' in html
    assert 'target="_top"' in html.split("embed-more")[1]


def test_embedded_pages_set_no_cookie_and_may_be_framed_by_any_site(client, edition):
    make_activity(edition)
    response = client.get("/integre/activites?lang=en&theme=dark")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert _csp(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response.headers
    # The rest of the policy is the site's usual one.
    assert _csp(response)["script-src"] == "'self'"
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html and "theme-dark" in html and "<form" not in html
    assert 'name="viewport"' in html  # follows the width of the frame


def test_no_cookie_even_for_a_signed_in_visitor(client, as_user, edition):
    make_activity(edition)
    as_user(UserFactory())
    response = client.get("/integre/activites")
    assert "Set-Cookie" not in response.headers
    assert client.get("/activites").headers["X-Frame-Options"] == "DENY"


def test_compact_hides_details_and_cancelled_is_marked(client, edition):
    activity = make_activity(edition, title="Fête annulée", state=ActivityState.CANCELLED)
    normal = client.get("/integre/activites").get_data(as_text=True)
    compact = client.get("/integre/activites?density=compact").get_data(as_text=True)
    assert activity.organization.name in normal
    assert activity.organization.name not in compact and "density-compact" in compact
    assert "Annulée" in compact


def test_junk_options_fall_back_to_defaults(client, edition):
    response = client.get("/integre/activites?theme=<script>&density=9&lang=xx&region=zz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "theme-light density-normal" in html and "<script>" not in html
    assert "Aucune activité à venir pour cette sélection." in html


def test_builder_is_linked_from_the_list_and_reads_in_english(client, edition):
    assert 'href="/integrer?region=03"' in client.get("/activites?region=03").get_data(
        as_text=True)
    assert "Embed the calendar" in client.get("/integrer?lang=en").get_data(as_text=True)


def test_a_frameable_response_never_saves_the_session(database_url):
    """Even a view that writes the session sets no cookie once it allowed framing."""
    from flask import session

    from gstp import create_app
    from gstp.config import TestConfig
    from gstp.security.headers import frameable
    from tests.conftest import _config_dict

    sample = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url})

    def write_session():
        session["seen"] = True
        return "ok"

    sample.add_url_rule("/_essai-session/0", "plain", write_session)
    sample.add_url_rule("/_essai-session/1", "framed", frameable(write_session))
    client = sample.test_client()
    assert "Set-Cookie" in client.get("/_essai-session/0").headers
    assert "Set-Cookie" not in client.get("/_essai-session/1").headers
