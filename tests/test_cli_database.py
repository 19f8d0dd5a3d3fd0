"""Every `flask gstp` command on a database `gstp init` has not prepared: one clear line."""
import os

import click
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from gstp import create_app
from gstp.commands import NOT_INITIALISED, gstp_cli
from gstp.config import TestConfig
from gstp.extensions import db
from tests.conftest import _config_dict, _create_postgres_database, _drop_postgres_database


@pytest.fixture
def empty_app(tmp_path):
    """The application on a new, empty database of the backend under test."""
    backend = os.environ.get("GSTP_TEST_DATABASE", "sqlite")
    if backend == "sqlite":
        url, admin, name = f"sqlite:///{tmp_path / 'empty.sqlite3'}", None, None
    else:
        url, admin, name = _create_postgres_database(backend)
    application = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": url})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        _drop_postgres_database(admin, name)


def _arguments(command: click.Command) -> list[str]:
    """A value for each required argument, enough to reach the command's body."""
    return ["x@gstp.example" for param in command.params
            if isinstance(param, click.Argument) and param.required]


def _invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=["gstp", *args])


def test_every_command_before_init_says_so_in_one_line(empty_app):
    # init prepares the database; restore is meant for an empty one (tests/backup/).
    names = sorted(name for name in gstp_cli.commands if name not in {"init", "restore"})
    assert {"geocode", "send-mail", "regeocode", "create-user", "backup"} <= set(names)
    for name in names:
        result = _invoke(empty_app, name, *_arguments(gstp_cli.commands[name]))
        assert result.exit_code == 1, (name, result.output)
        assert result.output.strip() == f"Error: {NOT_INITIALISED}", name
    # Help still works without a database.
    assert _invoke(empty_app, "geocode", "--help").exit_code == 0


def test_after_init_commands_run_and_a_stale_schema_is_named(empty_app):
    with empty_app.app_context():  # migrated (`flask db upgrade`) without reference data
        upgrade()
    assert NOT_INITIALISED in _invoke(empty_app, "geocode", "Rimouski").output
    assert _invoke(empty_app, "init").exit_code == 0
    result = _invoke(empty_app, "geocode", "12 rue Principale, Rimouski")
    assert result.exit_code == 0, result.output
    assert '"municipality": "Rimouski"' in result.output

    with empty_app.app_context():  # as if the code had moved on to a newer migration
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
    result = _invoke(empty_app, "regeocode")
    assert result.exit_code == 1
    assert "base pas à jour (migrations en attente) : lancez flask gstp init" in result.output
