"""Security headers on every response, cookie settings, secret key and proxy handling."""
import pytest

from gstp import create_app
from gstp.config import DEFAULT_SECRET_KEY, TestConfig
from gstp.security.headers import content_security_policy
from tests.conftest import _config_dict


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("path", ["/", "/connexion", "/page-inconnue", "/static/css/main.css"])
def test_every_response_carries_security_headers(client, path):
    response = client.get(path)
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["base-uri"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["img-src"] == "'self' data:"  # no tile server in tests
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    permissions = response.headers["Permissions-Policy"]
    assert "geolocation=(self)" in permissions and "camera=()" in permissions
    assert "microphone=()" in permissions
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in tests


def test_error_500_also_carries_headers(database_url):
    app = create_app({**_config_dict(TestConfig), "TESTING": False,
                      "SQLALCHEMY_DATABASE_URI": database_url})

    @app.route("/_boom")
    def _boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert response.headers["X-Frame-Options"] == "DENY"


def test_map_tile_host_is_allowed_for_images():
    csp = _directives(content_security_policy(
        {"MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}))
    assert csp["img-src"] == "'self' data: https://tile.openstreetmap.org"
    csp = _directives(content_security_policy(
        {"MAP_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"}))
    assert csp["img-src"] == "'self' data: https://*.tile.example.org"


def test_no_inline_script_or_style_in_pages(client):
    html = client.get("/").get_data(as_text=True) + client.get("/connexion").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "onclick=" not in html and "javascript:" not in html


def test_https_production_settings(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32,
                      "PUBLIC_BASE_URL": "https://gstp.example.org",
                      "SESSION_COOKIE_SECURE": True, "HSTS_SECONDS": 31536000})
    response = app.test_client().get("/static/css/main.css")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() > 0


def test_secure_cookie_default_follows_environment(monkeypatch):
    import importlib

    import gstp.config as config_module

    for env, expected in (({}, True), ({"GSTP_DEMO": "1"}, False),
                          ({"FLASK_DEBUG": "1"}, False), ({"SESSION_COOKIE_SECURE": "0"}, False)):
        for name in ("GSTP_DEMO", "FLASK_DEBUG", "SESSION_COOKIE_SECURE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        reloaded = importlib.reload(config_module)
        assert reloaded.Config.SESSION_COOKIE_SECURE is expected, env
        assert bool(reloaded.Config.HSTS_SECONDS) is expected
    monkeypatch.undo()
    importlib.reload(config_module)


def test_default_secret_key_refused_in_production(database_url):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": DEFAULT_SECRET_KEY,
                    "GSTP_DEMO": False})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "", "GSTP_DEMO": False})
    # The local demo (`make run`) and the test configuration are allowed to start.
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": DEFAULT_SECRET_KEY, "GSTP_DEMO": True})
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                       "SECRET_KEY": DEFAULT_SECRET_KEY})


def test_trusted_proxy_gives_real_client_address(database_url):
    seen = {}
    for hops in (0, 1):
        app = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                          "TRUSTED_PROXIES": hops})

        @app.route("/_ip")
        def _ip():
            from flask import request
            return f"{request.remote_addr} {request.scheme}"

        seen[hops] = app.test_client().get(
            "/_ip", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    assert seen[0] == "127.0.0.1 http"  # headers ignored when no proxy is trusted
    assert seen[1] == "203.0.113.7 https"
