"""The database part of a backup: pg_dump and pg_restore, or SQLite's online backup API."""
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask import current_app

from gstp.backup.manifest import BackupError
from gstp.extensions import db

FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def backend(url: sa.URL) -> str:
    name = url.get_backend_name()
    if name not in FILES:
        raise BackupError(f"Base {name} : seules PostgreSQL et SQLite sont prises en charge.")
    if name == "sqlite" and url.database in (None, "", ":memory:"):
        raise BackupError("Une base SQLite en mémoire ne se sauvegarde pas.")
    return name


def _tool(name: str) -> str:
    """The PostgreSQL client program, from PG_BIN_DIR or the PATH."""
    directory = current_app.config.get("PG_BIN_DIR") or None
    path = shutil.which(name, path=directory)
    if path is None:
        raise BackupError(f"{name} est introuvable : installez le client PostgreSQL "
                          "(paquet postgresql-client) ou indiquez PG_BIN_DIR.")
    return path


def _libpq_env(url: sa.URL) -> dict[str, str]:
    """The connection through the environment: no password on a command line (ps shows it)."""
    values = {"PGHOST": url.host, "PGPORT": url.port and str(url.port),
              "PGUSER": url.username, "PGPASSWORD": url.password, "PGDATABASE": url.database,
              "PGSSLMODE": url.query.get("sslmode")}
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _run(arguments: list[str], url: sa.URL, what: str) -> None:
    """pg_dump or pg_restore, found by _tool, with an argument list: no shell, no user text."""
    result = subprocess.run(arguments, env=_libpq_env(url), capture_output=True,  # noqa: S603
                            text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} a échoué : {result.stderr.strip() or result.returncode}")


def table_counts(connection: sa.Connection) -> dict[str, int]:
    """Rows of every table of the application present in the database."""
    present = set(sa.inspect(connection).get_table_names())
    names = sorted(present & {*db.metadata.tables, "alembic_version"})
    return {name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in names}


def migration_head(connection: sa.Connection) -> str | None:
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        raise BackupError(f"La base a plusieurs têtes de migration : {', '.join(heads)}.")
    return heads[0] if heads else None


def poster_names(connection: sa.Connection) -> list[str]:
    activity = db.metadata.tables["activity"]
    return list(connection.scalars(sa.select(activity.c.poster_name).distinct()
                                   .where(activity.c.poster_name.is_not(None))))


def _read_only(path: str | Path) -> sqlite3.Connection:
    # A URI, percent-encoded: a path holding "?" or "#" stays a path.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def dump(url: sa.URL, directory: Path, read) -> tuple[Path, object]:
    """Write the database to `directory`; `read(connection)` sees exactly what was dumped."""
    target = directory / FILES[backend(url)]
    if backend(url) == "sqlite":
        with closing(_read_only(url.database)) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)  # a consistent copy, even while the app writes
        engine = sa.create_engine("sqlite://", creator=lambda: _read_only(target),
                                  poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                return target, read(connection)
        finally:
            engine.dispose()
    # One snapshot for the dump and for the counts: the manifest tells what the file holds.
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            seen = read(connection)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl",
                  f"--snapshot={snapshot}", f"--file={target}"], url, "pg_dump")
    return target, seen


def is_empty(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return not sa.inspect(connection).get_table_names()


def check_dump(url: sa.URL, source: Path, counts: dict[str, int]) -> None:
    """Read the dump before touching the target: a damaged one is refused here."""
    if backend(url) == "postgresql":
        _run([_tool("pg_restore"), "--list", str(source)], url, "La lecture de la sauvegarde")
        return
    engine = sa.create_engine("sqlite://", creator=lambda: _read_only(source),
                              poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            verdict = connection.scalar(sa.text("PRAGMA quick_check"))
            found = table_counts(connection) if verdict == "ok" else None
    except sa.exc.DBAPIError as error:
        raise BackupError(f"La copie SQLite est illisible : {error.orig}") from error
    finally:
        engine.dispose()
    if verdict != "ok":
        raise BackupError(f"La copie SQLite est endommagée : {verdict}")
    if found != counts:
        raise BackupError("La copie SQLite ne contient pas les lignes que le manifeste annonce.")


def load(url: sa.URL, source: Path) -> None:
    """Fill the empty database from a dump, all or nothing."""
    db.session.remove()
    db.engine.dispose()
    if backend(url) == "sqlite":
        try:
            with closing(sqlite3.connect(source)) as dumped, \
                    closing(sqlite3.connect(url.database)) as target:
                dumped.backup(target)
        except sqlite3.Error as error:
            raise BackupError(f"La copie SQLite a échoué : {error}") from error
        return
    _run([_tool("pg_restore"), "--no-owner", "--no-acl", "--single-transaction",
          "--exit-on-error", f"--dbname={url.database}", str(source)], url, "pg_restore")
