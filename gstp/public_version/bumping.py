"""The public data version's row, the mark of public models, the bump at commit."""
from datetime import datetime, timedelta
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from gstp.db import UTCDateTime, utcnow
from gstp.extensions import db

ROW_ID = 1
BUMPED_KEY = "gstp.public_version.bumped"
_PENDING = "gstp.public_version.pending"


class PublicData:
    """Marks a model whose rows appear in public output (pages, feeds, open data)."""


class PublicDataVersion(db.Model):
    """The single row holding the public data version and when it last changed."""

    __tablename__ = "public_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


_TABLE = PublicDataVersion.__table__
SELECT_VERSION = sa.select(_TABLE.c.counter, _TABLE.c.changed_at).where(_TABLE.c.id == ROW_ID)


def bump_public_version(session: Session | None = None) -> None:
    """Count one more public change in the current transaction (once per transaction).

    changed_at moves forward by at least a whole second: Last-Modified has one-second
    precision, and two changes within a second must still give two different dates.
    """
    session = session or db.session
    if session.info.get(BUMPED_KEY):
        return
    session.info[BUMPED_KEY] = True
    connection = session.connection()
    table = PublicDataVersion.__table__
    now = utcnow().replace(microsecond=0)
    # The UPDATE first: on PostgreSQL it locks the row, so concurrent bumps queue up here.
    updated = connection.execute(table.update().where(table.c.id == ROW_ID)
                                 .values(counter=table.c.counter + 1))
    if updated.rowcount == 0:
        connection.execute(table.insert().values(id=ROW_ID, counter=1, changed_at=now))
        return
    previous = connection.execute(SELECT_VERSION).one().changed_at
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
    session.info.pop(BUMPED_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:  # the real transaction, not a flush's or a savepoint
        session.info.pop(BUMPED_KEY, None)
        session.info.pop(_PENDING, None)
