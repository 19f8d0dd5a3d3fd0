"""Which activities each public data version changed, so readers reload only those.

Every commit that bumps the public data version writes, in the same transaction, one row
per activity it changed (itself, a date, its organization) under the new counter, and
one row naming no activity when other public data changed (an edition, an organization's
own page, a district) or when no activity is named, or one saying "everything" (a bulk
statement on their tables, a place renamed). A
reader holding data of counter A asks for the rows of A..B: when every counter is there
and none says "everything", reloading the activities named is enough. A version bumped by
hand (typed SQL) has no row, so readers rebuild: a missing row costs time, never truth.
Each commit's rows share a random token, so a reader can tell its counter A apart from
the same number in a database rebuilt from scratch.
"""
import secrets
from itertools import chain
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from gstp.activities.models import Activity, Occurrence
from gstp.extensions import db
from gstp.geo.models import Mrc, Municipality, Region
from gstp.organizations.models import Organization
from gstp.public_version.bumping import (
    PublicData,
    PublicDataVersion,
    bump_public_version,
    change_pending,
)

_IDS = "gstp.activities.changes.ids"
_EVERYTHING = "gstp.activities.changes.everything"
_OTHERS = "gstp.activities.changes.others"
# Places are shown by name on every card: a change of theirs is a change of everything.
_PLACES = (Region, Mrc, Municipality)
_TABLES = frozenset({"activity", "occurrence", "organization", "region", "mrc", "municipality"})
KEPT_COUNTERS = 1000  # older rows are pruned: a reader that far behind rebuilds
PRUNE_EVERY = 100


class PublicChange(db.Model):
    """One activity (or none, or every one) changed by the commit of one public version."""

    __tablename__ = "public_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, index=True)
    activity_id: Mapped[int | None] = mapped_column(sa.Integer)  # no FK: deleted ones count
    everything: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    token: Mapped[str] = mapped_column(sa.String(16), nullable=False)


class Changed(NamedTuple):
    """What the commits after one version changed, as far as readers need to know."""

    activities: frozenset[int]
    others: bool  # other public data too (an edition, an organization, a district)


def changes_since(counter: int, token: str | None, until: int) -> Changed | None:
    """What changed after version `counter` (whose token it was) up to `until`, or None
    when the log cannot tell (then everything must be read again)."""
    if token is None or until - counter > KEPT_COUNTERS:
        return None
    return changes_in(log_rows(counter, until), counter, token, until)


LogRow = tuple[int, str, int | None, bool]  # counter, token, activity id, everything


def log_rows(low: int, high: int) -> list[LogRow]:
    """The change log's rows of the counters low..high."""
    return [tuple(row) for row in db.session.execute(
        sa.select(PublicChange.counter, PublicChange.token, PublicChange.activity_id,
                  PublicChange.everything).where(PublicChange.counter.between(low, high)))]


def changes_in(rows: list[LogRow], counter: int, token: str | None,
               until: int) -> Changed | None:
    """changes_since, from the log rows of counter..until already read."""
    if token is None or not any(c == counter and t == token for c, t, _a, _e in rows):
        return None
    if {c for c, *_rest in rows} != set(range(counter, until + 1)) or any(e for *_r, e in rows):
        return None
    later = [a for c, _t, a, _e in rows if c != counter]
    return Changed(frozenset(a for a in later if a is not None), others=None in later)


def changed_since(counter: int, token: str | None, until: int) -> set[int] | None:
    """The activity ids of changes_since (other public data changes read no activity)."""
    changed = changes_since(counter, token, until)
    return None if changed is None else set(changed.activities)


def token_of(counter: int) -> str | None:
    """The token of the commit that made this version, if it was logged."""
    return db.session.scalar(sa.select(PublicChange.token)
                             .where(PublicChange.counter == counter).limit(1))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context) -> None:
    # After the flush: new activities have their ids, deleted ones still hold theirs.
    ids = session.info.setdefault(_IDS, set())
    # Built anew at each read: once per flush, not once per object.
    new, dirty = session.new, session.dirty
    for obj in chain(new, dirty, session.deleted):
        if obj in dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, Activity):
            ids.add(obj.id)
        elif isinstance(obj, Occurrence):
            owners = sa.inspect(obj).attrs.activity_id.history.sum()
            ids.update(owners)
            if not owners:  # not loaded: which activity it was is unknown
                session.info[_EVERYTHING] = True
        elif isinstance(obj, _PLACES):
            session.info[_EVERYTHING] = True
        elif isinstance(obj, Organization) and obj in new:
            continue  # shown nowhere until it has activities, which name themselves
        elif isinstance(obj, Organization):
            # Its name is on every card of its activities, its slug in their links.
            ids.update(session.scalars(sa.select(Activity.id)
                                       .where(Activity.organization_id == obj.id)))
            session.info[_OTHERS] = True  # and its own page
        elif isinstance(obj, PublicData):
            session.info[_OTHERS] = True  # an edition, a district: no activity row shows it
    ids.discard(None)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    """Bulk statements name no rows: every activity may have changed."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _TABLES:
            state.session.info[_EVERYTHING] = True


@event.listens_for(Session, "before_commit")
def _log(session: Session) -> None:
    session.flush()
    ids, everything = session.info.get(_IDS), session.info.get(_EVERYTHING, False)
    others = session.info.get(_OTHERS, False)
    if not (ids or everything or others or change_pending(session)):
        return
    bump_public_version(session)  # once per transaction: a no-op when already bumped
    connection = session.connection()
    table = PublicDataVersion.__table__
    counter = connection.execute(sa.select(table.c.counter)).scalar_one()
    token = secrets.token_hex(8)
    rows = [{"counter": counter, "activity_id": i, "everything": False, "token": token}
            for i in sorted(ids or ())]
    if everything or others or not rows:
        rows.append({"counter": counter, "activity_id": None, "everything": everything,
                     "token": token})
    connection.execute(sa.insert(PublicChange.__table__), rows)
    if counter % PRUNE_EVERY == 0:
        connection.execute(sa.delete(PublicChange.__table__)
                           .where(PublicChange.counter < counter - KEPT_COUNTERS))
    # Kept until the transaction ends: a savepoint committed then rolled back takes these
    # rows with it, and the real commit must log its changes again.


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_IDS, None)
        session.info.pop(_EVERYTHING, None)
        session.info.pop(_OTHERS, None)
