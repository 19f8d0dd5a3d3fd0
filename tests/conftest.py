"""Fixtures: the app on a real database (SQLite file or a fresh PostgreSQL database).

GSTP_TEST_DATABASE selects the backend: unset or "sqlite" for a temporary SQLite file,
or a PostgreSQL URL of a role allowed to create databases (a database is created
for the run and dropped after). The schema comes from the real Alembic migrations.
"""
import contextvars
import os
import sqlite3
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade

from gstp import create_app
from gstp.config import PROJECT_ROOT, TestConfig
from gstp.extensions import db
from gstp.geo.reference import load_reference_data
from gstp.public_version.bumping import bump_public_version
from tests.factories import TEST_PASSWORD

# The public data version only moves forward, like in production: never emptied between tests.
REFERENCE_TABLES = frozenset({"region", "mrc", "district", "municipality", "alembic_version",
                              "public_data_version"})


def pytest_sessionstart(session):
    """Compile the message catalogs so English pages can be tested without a build step."""
    for po_path in (PROJECT_ROOT / "gstp" / "translations").glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Written aside then renamed: the other database's run may be reading the catalog.
        fd, partial = tempfile.mkstemp(dir=po_path.parent, prefix=".messages-", suffix=".mo")
        try:
            os.fchmod(fd, 0o644)  # as a plain write would leave it
            with os.fdopen(fd, "wb") as mo_file:
                write_mo(mo_file, catalog)
            os.replace(partial, po_path.with_suffix(".mo"))
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """Test databases are thrown away: SQLite need not wait for the disk at each commit."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def _create_postgres_database(admin_url: str) -> tuple[str, sa.Engine, str]:
    name = f"gstp_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name)
    return url.render_as_string(hide_password=False), admin, name


def _drop_postgres_database(admin: sa.Engine, name: str) -> None:
    # A non-superuser's DROP … WITH (FORCE) cannot end the autovacuum worker a large restore
    # starts: the drop is tried again once it has finished.
    for attempt in range(30):
        try:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            break
        except sa.exc.ProgrammingError:
            if attempt == 29:
                raise
            time.sleep(1)
    admin.dispose()


@contextmanager
def empty_database(directory: Path):
    """URL of a new empty database on the backend under test (SQLite in `directory`)."""
    backend = os.environ.get("GSTP_TEST_DATABASE", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'gstp-test.sqlite3'}"
        return
    url, admin, name = _create_postgres_database(backend)
    try:
        yield url
    finally:
        _drop_postgres_database(admin, name)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """URL of the database this run uses, created empty."""
    with empty_database(tmp_path_factory.mktemp("db")) as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, hence its own session, `g` and teardown.

    Tests run inside an app context (for factories and queries); Flask would otherwise
    reuse it for every request and share one database session between test and app.
    """

    def open(self, *args, **kwargs):
        db.session.commit()  # end the test's transaction: SQLite readers block writers
        response = contextvars.copy_context().run(self._open_without_app_context, *args, **kwargs)
        db.session.expire_all()  # see what the request changed
        return response

    def _open_without_app_context(self, *args, **kwargs):
        _cv_app.set(None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application, migrated to head, with the Québec reference data loaded once.

    Posters, pending imports and shared page files go to this run's temporary directory,
    not instance/: the SQLite and PostgreSQL runs of `make test` share the working tree.
    """
    files = tmp_path_factory.mktemp("instance")
    application = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                              "POSTERS_DIR": str(files / "affiches"),
                              "IMPORTS_DIR": str(files / "imports"),
                              "GSTP_PAGE_FILES": str(files / "pages")})
    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _config_dict(config_class) -> dict:
    return {key: getattr(config_class, key) for key in dir(config_class) if key.isupper()}


def _empty_data_tables() -> None:
    """Remove every row but the reference data, keeping each test independent."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        _empty_postgresql_tables(tables)
        # Typed SQL: the session hooks do not see it (per-process memos key on the version).
        bump_public_version()
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    # Emptied by hand: the pages cached for the old rows must go (ids are reused after it).
    bump_public_version()
    db.session.commit()


# Sequences a test drew from, even in a transaction rolled back, with their table.
_DRAWN_SEQUENCES = """
SELECT t.relname, s.relname FROM pg_class s
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                 AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_sequences q ON q.schemaname = current_schema() AND q.sequencename = s.relname
WHERE s.relkind = 'S' AND q.last_value IS NOT NULL"""


def _empty_postgresql_tables(tables: list[sa.Table]) -> None:
    """What TRUNCATE … RESTART IDENTITY of every data table leaves, in a tenth of the time.

    TRUNCATE makes new files for each table and index, empty or not (0.05 to 0.25 s per
    test): only the tables the test wrote to or drew an id for are emptied, by DELETE,
    and their sequences restarted.
    """
    touched = " UNION ALL ".join(
        f"SELECT '{t.name}', NULL WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"  # noqa: S608
        for t in tables)
    names = {t.name for t in tables}  # the reference tables' sequences stay as they are
    rows = [(table, sequence) for table, sequence in db.session.execute(
        sa.text(f"{touched} UNION ALL {_DRAWN_SEQUENCES}")) if table in names]
    emptied = {table for table, _sequence in rows}
    for table in reversed(tables):  # children first: no foreign key is left dangling
        if table.name in emptied:
            db.session.execute(sa.text(f'DELETE FROM "{table.name}"'))  # noqa: S608
    for _table, sequence in rows:
        if sequence is not None:
            db.session.execute(sa.text(f'ALTER SEQUENCE "{sequence}" RESTART'))


@pytest.fixture(autouse=True)
def _app_context(request):
    """Each test runs inside an app context and leaves empty data tables behind."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        yield
        db.session.rollback()
        _empty_data_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    """Flask test client: real requests through the whole app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Click runner for `flask gstp …` commands."""
    return app.test_cli_runner()


def login(client, email: str, password: str = TEST_PASSWORD):
    """Sign in through the real login form."""
    return client.post("/connexion", data={"email": email, "password": password},
                       follow_redirects=False)


@pytest.fixture
def as_user(client):
    """Call as_user(user) to sign the test client in as that account."""
    def _login(user, password: str = TEST_PASSWORD):
        response = login(client, user.email, password)
        assert response.status_code == 302, "login failed"
        return client
    return _login


pytest_plugins = ["tests.browser_fixtures", "tests.mail_fixtures"]
