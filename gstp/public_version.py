"""The public data version: one counter bumped in the transaction of any public change.

Every public ETag, Last-Modified and cache key derives from it, so a change anywhere
(an activity leaving a feed, an organization or municipality renamed) is never hidden
behind a 304 or a cached body, in any process or on any machine.

The bump happens in one place: session hooks note every flush touching a model marked
`PublicData` and every UPDATE/DELETE/INSERT statement run through a session on one of
their tables, and the commit bumps once. No service has to remember it. SQL typed by
hand outside the session (sa.text, a raw connection, a migration) must call
`bump_public_version`.

Why at commit and not at the first flush: the bump locks the row (PostgreSQL) until
the end of the transaction, and a submission may still wait for the geocoder after
its first flush; taken last, the lock lasts only the commit and cannot deadlock.
"""
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from gstp.db import UTCDateTime, utcnow
from gstp.extensions import db

ROW_ID = 1
_BUMPED = "gstp.public_version.bumped"
_PENDING = "gstp.public_version.pending"
_REQUEST_KEY = "gstp.public_version"
EPOCH = datetime(2016, 1, 1, tzinfo=UTC)  # before any data: the first edition


class PublicData:
    """Marks a model whose rows appear in public output (pages, feeds, open data)."""


class PublicDataVersion(db.Model):
    """The single row holding the public data version and when it last changed."""

    __tablename__ = "public_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


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
    """The committed version, and the value of `also` read in the same round trip.

    Read on a connection this thread keeps, in autocommit: what every shared page asks
    first skips what a request's session costs (pool checkout and pre-ping, BEGIN,
    ROLLBACK), about three quarters of it. A connection dropped meanwhile (database
    restarted) is replaced and the read tried once more.
    """
    statement = _SELECT if also is None else _WITH.setdefault(id(also), _SELECT.add_columns(also))
    row = read_committed(statement, **params)[:1]
    row = row[0] if row else None
    version = Version(0, EPOCH) if row is None else Version(row[0], row[1])
    if has_request_context():  # kept with the request: an app context may serve several
        request.environ[_REQUEST_KEY] = version
    return version, (row[2] if also is not None and row is not None else None)


def read_committed(statement, **params) -> list[sa.Row]:
    """The rows of a read-only statement, on this thread's autocommit connection (see above):
    for what a public page reads outside any transaction of its own."""
    for attempt in (1, 2):
        connection = _held_connection()
        try:
            return connection.execute(statement, params).all()
        except sa.exc.DBAPIError as error:
            _held.connections.pop(db.engine.url, None)
            connection.invalidate()
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


_held = threading.local()


def _held_connection() -> sa.Connection:
    """This thread's autocommit connection for version reads (a forked worker opens its own)."""
    connections = getattr(_held, "connections", None)
    if connections is None:
        connections = _held.connections = {}
    pid, connection = connections.get(db.engine.url, (None, None))
    if pid != os.getpid():
        # Named, so pg_stat_activity tells these long-lived connections apart.
        named = ({"application_name": "gstp-version",
                  "connect_timeout": current_app.config["DATABASE_CONNECT_TIMEOUT"]}
                 if db.engine.name == "postgresql" else {})
        engine = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT",
                                  pool_pre_ping=False, poolclass=sa.pool.NullPool,
                                  connect_args=named)
        connection = engine.connect()
        connections[db.engine.url] = (os.getpid(), connection)
    return connection


_TABLE = PublicDataVersion.__table__
_SELECT = sa.select(_TABLE.c.counter, _TABLE.c.changed_at).where(_TABLE.c.id == ROW_ID)
_WITH: dict[int, sa.Select] = {}  # _SELECT with one more column, built once per column


def _read(connection: sa.Connection) -> Version:
    row = connection.execute(_SELECT).first()
    return Version(0, EPOCH) if row is None else Version(row.counter, row.changed_at)


def bump_public_version(session: Session | None = None) -> None:
    """Count one more public change in the current transaction (once per transaction).

    changed_at moves forward by at least a whole second: Last-Modified has one-second
    precision, and two changes within a second must still give two different dates.
    """
    session = session or db.session
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    connection = session.connection()
    table = PublicDataVersion.__table__
    now = utcnow().replace(microsecond=0)
    # The UPDATE first: on PostgreSQL it locks the row, so concurrent bumps queue up here.
    updated = connection.execute(table.update().where(table.c.id == ROW_ID)
                                 .values(counter=table.c.counter + 1))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(id=ROW_ID, counter=1, changed_at=now))
        return
    previous = _read(connection).changed_at
    connection.execute(table.update().where(table.c.id == ROW_ID).values(
        changed_at=max(now, previous.replace(microsecond=0) + timedelta(seconds=1))))


def change_pending(session: Session) -> bool:
    """Whether the session's transaction holds a public change noted by the hooks below."""
    return bool(session.info.get(_PENDING))


def _public_tables() -> set[str]:
    return {mapper.local_table.name for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, PublicData)}


def _flush_touches_public_data(session: Session) -> bool:
    if any(isinstance(obj, PublicData) for obj in chain(session.new, session.deleted)):
        return True
    return any(isinstance(obj, PublicData) and session.is_modified(obj, include_collections=False)
               for obj in session.dirty)


@event.listens_for(Session, "before_flush")
def _note_flush(session, flush_context, instances) -> None:
    if _flush_touches_public_data(session):
        session.info[_PENDING] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    """Bulk UPDATE/DELETE/INSERT statements skip the flush: catch them here."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _public_tables():
        state.session.info[_PENDING] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session) -> None:
    # Flush first (commit would do it right after this hook) so the last changes count.
    session.flush()
    if session.info.get(_PENDING):
        bump_public_version(session)


@event.listens_for(Session, "after_rollback")
def _forget_bump(session) -> None:
    # Also after a savepoint's rollback, which may have taken the bump away (a savepoint
    # commit bumps too: before_commit cannot tell it from the real one). The noted change
    # stays: the real commit bumps again, at worst once too many, never once short.
    session.info.pop(_BUMPED, None)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:  # the real transaction, not a flush's or a savepoint
        session.info.pop(_BUMPED, None)
        session.info.pop(_PENDING, None)
