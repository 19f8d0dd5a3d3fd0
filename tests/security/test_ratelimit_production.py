"""The rate limits that run in production, and every form open to visitors carrying one.

The other limiter tests replace RATELIMITS with small values; these read the production
configuration (gstp.config.Config) and the limits declared on the views, as they run.
"""
import re
import secrets

import pytest
import sqlalchemy as sa

from gstp import create_app
from gstp.config import Config, TestConfig
from gstp.extensions import db
from gstp.security.models import RateLimitCounter
from gstp.security.ratelimit import limits_for
from tests.security import pin_limiter_clock

# The production limits, by view: each (scope, limits in effect, keys, methods counted, windows
# a key is limited to). One table, so a deliberate change of a limit is one line here.
PASSWORD_RESET = [("password_reset", {"per_minute": 5, "per_hour": 20}, ("ip", "email"),
                   {"POST"}, {})]
LINK_FORM = [("link_form", {"per_minute": 10, "per_hour": 60}, ("ip",), {"POST"}, {})]
PRODUCTION = {
    # Per account only the minute: a stranger's guesses delay the owner, never lock them out;
    # a browser the owner signed in from before is counted on its own device cookie.
    "organizations.login": [
        ("login-device", {"per_minute": 10, "per_hour": 60}, ("device",), {"POST"}, {}),
        ("login", {"per_minute": 10, "per_hour": 60}, ("ip", "account"), {"POST"},
         {"account": ("per_minute",)}),
    ],
    "organizations.signup": [("signup", {"per_hour": 10}, ("ip",), {"POST"}, {})],
    "organizations.resend_verification": PASSWORD_RESET,
    "organizations.forgot_password": PASSWORD_RESET,
    "organizations.reset_password": LINK_FORM,
    "members.accept_invitation": LINK_FORM,
    "activities.create": [("submission", {"per_hour": 60}, ("ip", "user"), {"POST"}, {})],
    "activities.edit": [("activity-edit", {"per_minute": 30, "per_hour": 300}, ("user",),
                         {"POST"}, {})],
    "activities.place_preview": [("place-preview", {"per_hour": 600}, ("ip",), {"GET"}, {})],
    "reconduction.reconduct": [("reconduction", {"per_hour": 120}, ("user",), {"POST"}, {})],
    "imports.upload": [("import", {"per_hour": 60}, ("user",), {"POST"}, {})],
    "privacy.delete_account": [("delete_account", {"per_minute": 5, "per_hour": 20}, ("user",),
                                {"POST"}, {})],
    "people.accept_staff_invitation": LINK_FORM,
}
IP = "198.51.100.7"


@pytest.fixture(scope="module")
def production_app(database_url):
    """The app on the production configuration (only what it refuses to start without)."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": secrets.token_hex(32),
                       "PUBLIC_BASE_URL": "https://gstp.example"})


def test_production_turns_the_limiter_on(production_app):
    assert Config.RATELIMIT_ENABLED is True
    assert production_app.config["RATELIMIT_ENABLED"] is True
    assert production_app.config["TESTING"] is False


def test_every_production_limit_has_its_values(production_app):
    in_effect = {}
    with production_app.test_request_context("/"):
        for endpoint, view in production_app.view_functions.items():
            limits = getattr(view, "rate_limits", ())
            if limits:
                in_effect[endpoint] = [(limit.scope, limits_for(limit.scope, limit.defaults),
                                        limit.keys, set(limit.methods), limit.windows)
                                       for limit in limits]
    assert in_effect == PRODUCTION


def test_the_tests_run_the_production_limits_when_they_turn_the_limiter_on():
    # The 429 tests below count against these very values.
    assert TestConfig.RATELIMITS == Config.RATELIMITS


def _url(rule: str) -> str:
    url = re.sub(r"<id:[^>]+>", "999999", rule)
    url = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), url)  # a real choice
    return re.sub(r"<[^>]+>", "jeton", url)


def test_every_post_open_to_visitors_carries_a_rate_limit(app, client):
    """Walk the URL map: a POST a visitor can reach (not sent to sign in) must be limited."""
    open_to_visitors, unlimited = set(), []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        response = client.post(_url(rule.rule), data={})
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location.startswith("/connexion?next="):
            continue  # sign-in required: the account is known and its own limits apply
        open_to_visitors.add(rule.endpoint)
        limits = getattr(app.view_functions[rule.endpoint], "rate_limits", ())
        if not any("POST" in limit.methods for limit in limits):
            unlimited.append(rule.rule)
    assert unlimited == []
    # The walk did see the visitors' forms (a wrong sign-in test would skip them all).
    assert open_to_visitors >= {"organizations.login", "organizations.signup",
                                "organizations.resend_verification",
                                "organizations.forgot_password",
                                "organizations.reset_password", "members.accept_invitation"}


@pytest.fixture
def limiter_on(app, monkeypatch):
    """The limiter on, with the configuration's own values (the production ones)."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    pin_limiter_clock(monkeypatch)


def _post_until_refused(client, url: str, data: dict, allowed: int) -> list[int]:
    return [client.post(url, data=data, environ_base={"REMOTE_ADDR": IP}).status_code
            for _ in range(allowed + 1)]


def _allowed(endpoint: str, window: str) -> int:
    (_scope, limits, *_rest), = PRODUCTION[endpoint]  # these views carry one limit each
    return limits[window]


def test_signup_answers_429_past_its_hourly_limit(client, limiter_on):
    allowed = _allowed("organizations.signup", "per_hour")
    codes = _post_until_refused(client, "/inscription", {"email": "x@y.example"}, allowed)
    assert codes == [200] * allowed + [429]


@pytest.mark.parametrize("url", ["/inscription/renvoyer", "/mot-de-passe-oublie"])
def test_resend_and_password_reset_answer_429_past_their_limit(client, limiter_on, url):
    allowed = _allowed("organizations.forgot_password", "per_minute")
    codes = _post_until_refused(client, url, {"email": "oubli@organisme.example"}, allowed)
    # Each accepted request is sent back to the sign-in page; the next one is refused.
    assert codes == [302] * allowed + [429]
    refused = client.post(url, data={"email": "oubli@organisme.example"},
                          environ_base={"REMOTE_ADDR": IP})
    assert refused.status_code == 429 and "Trop de requêtes" in refused.get_data(as_text=True)


def test_resend_and_password_reset_share_one_count(client, limiter_on):
    allowed = _allowed("organizations.forgot_password", "per_minute")
    data = {"email": "oubli@organisme.example"}
    for n in range(allowed):
        url = "/inscription/renvoyer" if n % 2 else "/mot-de-passe-oublie"
        assert client.post(url, data=data, environ_base={"REMOTE_ADDR": IP}).status_code == 302
    assert client.post("/inscription/renvoyer", data=data,
                       environ_base={"REMOTE_ADDR": IP}).status_code == 429


def test_the_reset_link_form_answers_429_past_its_limit(client, limiter_on):
    allowed = _allowed("organizations.reset_password", "per_minute")
    codes = _post_until_refused(client, "/mot-de-passe/jeton", {"password": "x"}, allowed)
    assert codes == [400] * allowed + [429]  # 400: the link is not valid
    hits = db.session.scalar(sa.select(sa.func.max(RateLimitCounter.hits))
                             .where(RateLimitCounter.scope == "link_form"))
    assert hits == allowed + 1
