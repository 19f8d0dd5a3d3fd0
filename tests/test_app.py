"""The application factory, base layout, error pages and language switch."""
from gstp import create_app
from gstp.config import TestConfig, database_url


def test_factory_reads_given_config():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert {"calendar", "organizations"} <= set(app.blueprints)
    assert app.template_folder.endswith("templates")


def test_database_url_normalises_postgres_scheme(tmp_path):
    assert database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert database_url(None).startswith("sqlite:///") and database_url(None).endswith(".sqlite3")
    assert TestConfig.WTF_CSRF_ENABLED is False


def test_home_page_in_french_by_default(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Grande semaine des tout-petits" in html
    assert 'href="#contenu"' in html  # skip link for keyboard users


def test_home_page_shows_current_edition(client):
    from tests.factories import ActivityFactory, EditionFactory

    edition = EditionFactory(year=2099)
    ActivityFactory.create_batch(2, edition=edition)
    html = client.get("/").get_data(as_text=True)
    assert "84e édition" in html
    assert "2 activités publiées" in html


def test_language_switch_to_english(client):
    response = client.get("/langue/en", headers={"Referer": "http://localhost/"})
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_browser_language_is_honoured(client):
    html = client.get("/", headers={"Accept-Language": "en-CA,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_language_switch_ignores_outside_referrer(client):
    response = client.get("/langue/en", headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_not_found_page_in_french_then_english(client):
    response = client.get("/cette-page-n-existe-pas")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    response = client.get("/cette-page-n-existe-pas?lang=en")
    assert "Page not found" in response.get_data(as_text=True)


def test_method_not_allowed_page(client):
    response = client.get("/deconnexion")
    assert response.status_code == 405
    assert "Méthode non permise" in response.get_data(as_text=True)


def test_error_templates_exist_in_both_languages(app):
    from flask import render_template
    from flask_babel import refresh

    for query, expected in (("?lang=en", ("Bad request", "Access denied", "Server error")),
                            ("", ("Requête invalide", "Accès refusé", "Erreur du serveur"))):
        with app.test_request_context("/" + query):
            refresh()  # the locale is cached on the test's app context
            for code, heading in zip((400, 403, 500), expected, strict=True):
                assert heading in render_template(f"errors/{code}.html")


def test_unhandled_error_renders_french_500(database_url):
    app = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "test-secret-not-default",
                      "PUBLIC_BASE_URL": "https://gstp.example.org"})

    @app.route("/_boom")
    def _boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.get_data(as_text=True)


def test_local_datetime_shows_the_activity_zone(app):
    from datetime import UTC, datetime

    from flask_babel import refresh

    from gstp.i18n import local_datetime

    with app.test_request_context("/"):
        refresh()
        moment = datetime(2026, 11, 17, 15, 0, tzinfo=UTC)  # 10:00 in Toronto (EST)
        assert local_datetime(moment, "America/Toronto", "short") == "17/11/2026 10:00"
        assert local_datetime(moment, "America/Blanc-Sablon", "short") == "17/11/2026 11:00"
