"""gstp: the web platform of the Grande semaine des tout-petits."""
from pathlib import Path

from flask import Flask

from gstp import extensions as ext
from gstp.config import DEFAULT_SECRET_KEY, INSTANCE_DIR, PROJECT_ROOT, Config

BLUEPRINT_MODULES = (
    "gstp.calendar.views",
    "gstp.calendar.embed",
    "gstp.activities.placement.views",
    "gstp.organizations.views",
    "gstp.organizations.members",
    "gstp.mail.views",
    "gstp.activities.views",
    "gstp.activities.reconduction_views",
    "gstp.activities.spreadsheet_views",
    "gstp.staff.views",
    "gstp.staff.edits",
    "gstp.staff.reminders",
    "gstp.staff.editions",
    "gstp.staff.organizations",
    "gstp.letters.views",
    "gstp.stats.views",
    "gstp.privacy.views",
    "gstp.privacy.incident_views",
)


def create_app(config: object | dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI and error pages."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _refuse_default_secret(app)
    _connect_timeout(app)
    _refuse_missing_base_url(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Real client address and scheme from nginx (rate limits key on the address).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    from gstp import urlargs

    urlargs.init_app(app)  # the converters must exist before any route is added
    _register_blueprints(app)

    from gstp import cli, errors, form_errors, i18n, navigation, pagecache, security

    # The page cache's fast path wraps the WSGI app before security does: the UTF-8 guard
    # must see (and flag) every request first.
    pagecache.init_app(app)
    security.init_app(app)
    form_errors.init_app(app)
    i18n.init_app(app)
    navigation.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    from gstp.mail.services import public_base_url

    # E-mails write the site's address in full (PUBLIC_BASE_URL, or the request's outside
    # production).
    app.jinja_env.globals["public_base_url"] = public_base_url
    return app


def _refuse_default_secret(app: Flask) -> None:
    """Stop a production start with the published SECRET_KEY (sessions could be forged)."""
    if app.config["SECRET_KEY"] not in {DEFAULT_SECRET_KEY, "", None} or not _production_start(app):
        return
    raise RuntimeError(
        "SECRET_KEY n'est pas défini : donnez une valeur secrète à la variable d'environnement "
        "SECRET_KEY (par exemple `python -c 'import secrets; print(secrets.token_hex(32))'`), "
        "ou GSTP_DEMO=1 pour une démonstration locale. "
        "SECRET_KEY is not set: export a random SECRET_KEY, or GSTP_DEMO=1 for a local demo.")


def _connect_timeout(app: Flask) -> None:
    """PostgreSQL connections give up after DATABASE_CONNECT_TIMEOUT seconds (libpq option)."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT"],
                               **options.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _refuse_missing_base_url(app: Flask) -> None:
    """Stop a production start without PUBLIC_BASE_URL (links would follow the Host header)."""
    if app.config["PUBLIC_BASE_URL"] or not _production_start(app):
        return
    raise RuntimeError(
        "PUBLIC_BASE_URL n'est pas défini : donnez l'adresse publique du site "
        "(par exemple https://gstp.example.org) à la variable d'environnement PUBLIC_BASE_URL, "
        "ou GSTP_DEMO=1 pour une démonstration locale. "
        "PUBLIC_BASE_URL is not set: export the site's public address, or GSTP_DEMO=1 for a "
        "local demo.")


def _production_start(app: Flask) -> bool:
    """Neither debug, tests, the local demo nor a maintenance command: settings must be real."""
    return not (app.debug or app.testing or app.config.get("GSTP_DEMO")
                or _cli_maintenance_command())


def _cli_maintenance_command() -> bool:
    """True inside a `flask …` command other than `run`: it serves no session cookie."""
    import click

    context = click.get_current_context(silent=True)
    return context is not None and context.info_name not in {"run", None}


def _init_extensions(app: Flask) -> None:
    import gstp.models  # noqa: F401 - registers every model on the metadata

    # Attributes of `ext`, not names imported here: importing gstp.db would shadow `db`.
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(PROJECT_ROOT / "migrations"),
                         render_as_batch=True)
    ext.csrf.init_app(app)
    ext.mail.init_app(app)
    ext.login_manager.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)
    # Browsers ask for /favicon.ico whatever the page says: answer it rather than 404.
    app.add_url_rule("/favicon.ico", "favicon",
                     lambda: app.send_static_file("favicon.ico"))
