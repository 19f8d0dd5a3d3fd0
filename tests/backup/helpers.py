"""A second application on a fresh database and posters directory: where backups restore."""
import contextvars
from contextlib import contextmanager
from pathlib import Path

from gstp import create_app
from gstp.config import TestConfig
from gstp.extensions import db
from tests.conftest import IsolatedClient, _config_dict, empty_database


@contextmanager
def fresh_site(directory: Path, **config):
    """(app, posters directory) on a new empty database of the backend under test."""
    directory.mkdir(parents=True, exist_ok=True)
    posters = directory / "affiches"
    with empty_database(directory) as url:
        # No page cache: every answer is built from the restored rows, none kept from before.
        target = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": url,
                             "POSTERS_DIR": str(posters), "GSTP_PAGE_CACHE": False, **config})
        target.test_client_class = IsolatedClient
        try:
            yield target, posters
        finally:
            with target.app_context():
                db.session.remove()
                db.engine.dispose()


def tables_of(target) -> list[str]:
    with target.app_context():
        return sorted(db.inspect(db.engine).get_table_names())


def run(target, *args: str):
    """`flask gstp …` on that application, as an operator types it, in its own app context.

    Flask reuses the app context already pushed (the test's, of the other application):
    the command runs in an empty context, where none is.
    """
    db.session.commit()  # the test's rows are what the command must see

    return contextvars.Context().run(target.test_cli_runner().invoke, args=["gstp", *args])
