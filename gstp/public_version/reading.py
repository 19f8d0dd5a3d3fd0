"""Reading the committed version: once a request, kept until notified on PostgreSQL."""
import os
import select
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

import psycopg
import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from gstp.extensions import db
from gstp.public_version.bumping import BUMPED_KEY, SELECT_VERSION

_REQUEST_KEY = "gstp.public_version"
EPOCH = datetime(2016, 1, 1, tzinfo=UTC)  # before any data: the first edition
CHANNEL = "gstp_public_version"  # notified by the row's trigger (PostgreSQL)


@dataclass(frozen=True)
class Version:
    """What validators and cache keys are made of."""

    counter: int
    changed_at: datetime

    @property
    def tag(self) -> str:
        # The time too: a database rebuilt from scratch counts again from 1.
        return f"{self.counter}.{int(self.changed_at.timestamp())}"


def read_public_version(also: sa.ScalarSelect | None = None, **params) -> tuple[Version, object]:
    """The committed version, and the value of `also` read in the same round trip; without
    `also`, none while the version this thread holds stands (kept_public_version)."""
    if also is None:
        version = kept_public_version()
        if version is not None:
            return version, None
    version, values = read_public_version_and(*(() if also is None else (also,)), **params)
    return version, (values[0] if values else None)


def read_public_version_and(*also: sa.ScalarSelect, **params) -> tuple[Version, tuple]:
    """The committed version and the values of `also`, always read, in one round trip.

    Read on a connection this thread keeps, in autocommit: what every shared page asks
    first skips what a request's session costs (pool checkout and pre-ping, BEGIN,
    ROLLBACK), about three quarters of it. A connection dropped meanwhile (database
    restarted) is replaced and the read tried once more.
    """
    key = tuple(map(id, also))  # SQL expressions compare into SQL, not into booleans
    statement = _WITH.get(key)
    if statement is None:
        statement = _WITH[key] = SELECT_VERSION.add_columns(*also)
    commits = _COMMITS[0]  # taken first: a commit during the read makes the next one read again
    _held_record().notified.clear()  # likewise a notification received during the read
    row = read_committed(statement, **params)[:1]
    row = row[0] if row else None
    version = Version(0, EPOCH) if row is None else Version(row[0], row[1])
    record = _held.connections.get(db.engine.url)  # the one that answered, if replaced
    if record is not None and record.listening:
        record.version, record.commits = version, commits
    _noted(version)
    return version, (tuple(row[2:]) if row is not None else (None,) * len(also))


def kept_public_version() -> Version | None:
    """The version this thread read last, if nothing can have changed it since; else None.

    PostgreSQL only: the connection that read it LISTENs to the notifications the row's
    trigger sends on every change (migration 88ca89d027bb), so it holds until a
    notification arrives (checked without waiting: its socket is readable), this process
    commits a public change (seen at once, whatever the notification's timing), or that
    connection fails (then each request reads until a new one listens).
    """
    record = getattr(_held, "connections", {}).get(db.engine.url)
    if (record is None or record.version is None or record.notified.is_set()
            or record.commits != _COMMITS[0] or record.pid != os.getpid()):
        return None
    if record.poller.poll(0):  # a notification, or the server closing the connection
        record.version = None
        try:
            record.pgconn.consume_input()
            while record.pgconn.notifies() is not None:
                pass
        except psycopg.Error:
            _drop(record)
        return None
    _noted(record.version)
    return record.version


def read_committed(statement, **params) -> list[sa.Row]:
    """The rows of a read-only statement, on this thread's autocommit connection (see above):
    for what a public page reads outside any transaction of its own."""
    for attempt in (1, 2):
        record = _held_record()
        try:
            return record.connection.execute(statement, params).all()
        except sa.exc.DBAPIError as error:
            _drop(record)
            if attempt == 2 or not error.connection_invalidated:
                raise
    raise AssertionError("unreachable")


def remember_version(environ: dict, version: Version) -> None:
    """Hand a version read before Flask (the page cache's fast path) to the request."""
    environ[_REQUEST_KEY] = version


def request_public_version() -> Version:
    """The version this request works with: read once, shared by its cache keys and memos."""
    version = request.environ.get(_REQUEST_KEY) if has_request_context() else None
    return version if version is not None else read_public_version()[0]


def _noted(version: Version) -> None:
    if has_request_context():  # kept with the request: an app context may serve several
        request.environ[_REQUEST_KEY] = version


_held = threading.local()
_COMMITS = [0]  # changed by each commit of this process that bumped the version
_COMMIT_IDS = count(1)  # never the same value twice, even from racing threads


class _Held:
    """This thread's autocommit connection for version reads, and what it may trust."""

    def __init__(self, connection: sa.Connection):
        self.pid, self.connection = os.getpid(), connection
        self.listening, self.notified = False, threading.Event()
        self.version: Version | None = None
        self.commits = -1
        if connection.dialect.name == "postgresql" and connection.execute(_HAS_TRIGGER).scalar():
            raw = connection.connection.dbapi_connection
            connection.exec_driver_sql(f"LISTEN {CHANNEL}")
            # Notifications psycopg reads while a statement runs on this connection (the
            # handler holds the flag, not the record: freed with the thread, no cycle).
            raw.add_notify_handler(lambda _notification, flag=self.notified: flag.set())
            self.pgconn = raw.pgconn
            self.poller = select.poll()
            self.poller.register(self.pgconn.socket, select.POLLIN)
            self.listening = True


def _held_record() -> _Held:
    """This thread's connection for version reads (a forked worker opens its own)."""
    records = getattr(_held, "connections", None)
    if records is None:
        records = _held.connections = {}
    record = records.get(db.engine.url)
    if record is None or record.pid != os.getpid():
        # Named, so pg_stat_activity tells these long-lived connections apart. Keepalives:
        # a network cut closes nothing, and this connection then waits for notifications.
        named = ({"application_name": "gstp-version",
                  "connect_timeout": current_app.config["DATABASE_CONNECT_TIMEOUT"],
                  "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 3,
                  "keepalives_count": 3}
                 if db.engine.name == "postgresql" else {})
        engine = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT",
                                  pool_pre_ping=False, poolclass=sa.pool.NullPool,
                                  connect_args=named)
        record = records[db.engine.url] = _Held(engine.connect())
    return record


def _drop(record: _Held) -> None:
    """Forget a failed connection: the next read opens another (and listens again)."""
    records = getattr(_held, "connections", {})
    if records.get(db.engine.url) is record:
        del records[db.engine.url]
    record.version = None
    record.connection.invalidate()


@event.listens_for(Session, "after_commit")
def _seen_here(session) -> None:
    # After the commit, not before: a read racing with it must not be trusted afterwards.
    if session.info.get(BUMPED_KEY):
        _COMMITS[0] = next(_COMMIT_IDS)


_WITH: dict[tuple, sa.Select] = {}  # SELECT_VERSION with more columns, built once per set of them
# Without the trigger (a database not migrated yet) nothing notifies: read on each request.
_HAS_TRIGGER = sa.text("SELECT EXISTS (SELECT FROM pg_trigger WHERE tgname = "
                       "'gstp_public_version_notify' AND NOT tgisinternal AND tgenabled <> 'D')")
