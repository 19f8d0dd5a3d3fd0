"""The `flask gstp` command group, low enough for every domain to add its commands to."""
from functools import wraps

import click
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup

from gstp.extensions import db

NOT_INITIALISED = "base non initialisée : lancez flask gstp init"


def check_database() -> None:
    """Stop with a one-line message unless `gstp init` has brought the database up to date."""
    heads = set(ScriptDirectory.from_config(
        current_app.extensions["migrate"].migrate.get_config()).get_heads())
    # `gstp init` loads the reference data right after migrating: no region, it stopped short.
    region = db.metadata.tables["region"]
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
            if not current:
                raise click.ClickException(NOT_INITIALISED)
            if current != heads:
                raise click.ClickException("base pas à jour (migrations en attente) : "
                                           "lancez flask gstp init")
            if connection.scalar(sa.select(region.c.code).limit(1)) is None:
                raise click.ClickException(NOT_INITIALISED)
    except sa.exc.DBAPIError as error:  # server down, wrong password, unreadable file
        raise click.ClickException(f"base injoignable : {error.orig}") from error


class GstpCommands(AppGroup):
    """The `flask gstp` group: every command checks the database first, unless told not to.

    One check for all commands, run after their arguments are parsed (so --help works
    anywhere), instead of a raw traceback such as "no such table: region".
    """

    def command(self, *args, needs_database: bool = True, **kwargs):
        """Register a command, wrapped in check_database() when it needs the database."""
        register = super().command(*args, **kwargs)

        def decorator(function):
            if not needs_database:
                return register(function)

            @wraps(function)
            def checked(*f_args, **f_kwargs):
                check_database()
                return function(*f_args, **f_kwargs)

            return register(checked)

        return decorator


gstp_cli = GstpCommands("gstp", help="Commandes de la Grande semaine des tout-petits.")
