"""gstp: the web platform of the Grande semaine des tout-petits."""
from pathlib import Path

from flask import Flask

from gstp import extensions as ext
from gstp.config import INSTANCE_DIR, PROJECT_ROOT, Config

BLUEPRINT_MODULES = (
    "gstp.calendar.views",
    "gstp.organizations.views",
    "gstp.stats.views",
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
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from gstp import cli, errors, i18n, navigation

    i18n.init_app(app)
    navigation.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


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
