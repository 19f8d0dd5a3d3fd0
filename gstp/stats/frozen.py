"""Frozen statistics: the activity figures of editions that are over, computed once and kept.

An edition whose week and attendance period are over (`closing.edition_is_over`) no longer
changes by itself: `refresh_frozen_statistics` stores its figures (Québec-wide and for each
region) and the comparison reads them instead of aggregating its activities again. A late
change to such an edition's activities or attendance recomputes, in the same commit, its
figures and those of the later closed editions (whose new and returning organizations
depend on it); a bulk statement or a change of populations drops every frozen figure, read
live again until staff refresh them (`flask gstp freeze-statistics`). Figures of records
staff keep (letters, media, op-eds) are always read live.
"""
from collections.abc import Sequence
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from gstp.activities.models import Activity, AttendanceReport
from gstp.editions.models import Edition
from gstp.editions.services import edition_closed
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.stats import queries
from gstp.stats.closing import edition_is_over
from gstp.stats.computed_metrics import COMPUTED_METRICS, COMPUTED_SOURCES
from gstp.stats.models import FrozenStatistic

QUEBEC = ""  # region_code of the Québec-wide figures
_TOUCHED = "gstp.stats.frozen.touched"
_EVERYTHING = "gstp.stats.frozen.everything"
_TABLES = frozenset({"activity", "attendance_report", "municipality"})


def comparison_figures(edition_ids: Sequence[int], region_code: str | None = None) -> dict:
    """queries.computed_figures, the frozen editions read from their kept figures."""
    over = [e.id for e in db.session.scalars(sa.select(Edition).where(
        Edition.id.in_(list(edition_ids)))) if edition_is_over(e)]
    kept = dict(db.session.execute(
        sa.select(FrozenStatistic.edition_id, FrozenStatistic.figures)
        .where(FrozenStatistic.edition_id.in_(over),
               FrozenStatistic.region_code == (region_code or QUEBEC))).all()) if over else {}
    live = [i for i in edition_ids if i not in kept]
    figures = queries.activity_figures(live, region_code) if live else _empty()
    for edition_id, stored in kept.items():
        _merge(figures, edition_id, stored)
    for source in COMPUTED_SOURCES:
        figures["totals"].update(source(edition_ids, region_code))
    return figures


def _empty() -> dict:
    """What activity_figures gives for no edition, without asking the database."""
    return {"totals": {key: {} for key, _label, _group in COMPUTED_METRICS},
            "breakdowns": {name: {} for name in ("region", *queries.BREAKDOWNS)},
            "per_10k": {}}


def _one(figures: dict, edition_id: int) -> dict:
    """One edition's share of activity_figures, as JSON (lists: keys may be None)."""
    return {
        "totals": [[key, by[edition_id]] for key, by in figures["totals"].items()
                   if edition_id in by],
        "breakdowns": [[name, value, by[edition_id]]
                       for name, values in figures["breakdowns"].items()
                       for value, by in values.items() if edition_id in by],
        "per_10k": [[code, by[edition_id]] for code, by in figures["per_10k"].items()
                    if edition_id in by],
    }


def _merge(figures: dict, edition_id: int, stored: dict) -> None:
    for key, value in stored["totals"]:
        figures["totals"].setdefault(key, {})[edition_id] = value
    for name, value, count in stored["breakdowns"]:
        figures["breakdowns"].setdefault(name, {}).setdefault(value, {})[edition_id] = count
    for code, ratio in stored["per_10k"]:
        figures["per_10k"].setdefault(code, {})[edition_id] = ratio


def refresh_frozen_statistics(*, editions: Sequence[Edition]) -> int:
    """Compute and keep the figures of those editions that are over; returns how many were
    frozen. The others lose any kept figures: theirs still move."""
    ids = [e.id for e in editions]
    if not ids:
        return 0
    db.session.execute(sa.delete(FrozenStatistic).where(FrozenStatistic.edition_id.in_(ids)))
    over = [e.id for e in editions if edition_is_over(e)]
    if not over:
        return 0
    codes = [QUEBEC, *db.session.scalars(sa.select(Region.code).order_by(Region.code))]
    for code in codes:
        # One statement per region for every edition at once, not one per edition.
        figures = queries.activity_figures(over, code or None)
        db.session.add_all(FrozenStatistic(edition_id=i, region_code=code,
                                           figures=_one(figures, i)) for i in over)
    db.session.flush()
    return len(over)


@edition_closed.connect
def _freeze_when_staff_close(edition: Edition, **_details) -> None:
    """Closing an edition from the staff pages freezes its figures in the same commit."""
    refresh_frozen_statistics(editions=[edition])


def freeze_closed_editions() -> int:
    """Freeze every edition that is over and has no kept figures yet; returns how many."""
    frozen = sa.select(FrozenStatistic.edition_id).distinct()
    editions = [e for e in db.session.scalars(
        sa.select(Edition).where(Edition.id.not_in(frozen)).order_by(Edition.year))
        if edition_is_over(e)]
    return refresh_frozen_statistics(editions=editions)


@event.listens_for(Session, "after_flush")
def _note(session: Session, flush_context) -> None:
    """Editions whose figures this flush may change (kept figures must follow)."""
    touched = session.info.setdefault(_TOUCHED, set())
    dirty = session.dirty  # built anew at each read: once per flush, not once per object
    with session.no_autoflush:
        for obj in chain(session.new, dirty, session.deleted):
            if obj in dirty and not session.is_modified(obj, include_collections=False):
                continue
            if isinstance(obj, Activity):
                touched.update(sa.inspect(obj).attrs.edition_id.history.sum())
            elif isinstance(obj, AttendanceReport):
                touched.add(session.scalar(sa.select(Activity.edition_id)
                                           .where(Activity.id == obj.activity_id)))
            elif isinstance(obj, Municipality):  # populations: every ratio per 10,000
                session.info[_EVERYTHING] = True
    touched.discard(None)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        if getattr(getattr(state.statement, "table", None), "name", None) in _TABLES:
            state.session.info[_EVERYTHING] = True


@event.listens_for(Session, "before_commit")
def _follow_late_changes(session: Session) -> None:
    session.flush()
    touched = session.info.pop(_TOUCHED, set())
    if session.info.pop(_EVERYTHING, False):
        session.execute(sa.delete(FrozenStatistic))
        return
    if not touched:
        return
    first = session.scalar(sa.select(sa.func.min(Edition.year)).where(Edition.id.in_(touched)))
    frozen = sa.select(FrozenStatistic.edition_id)
    later = list(session.scalars(sa.select(Edition).where(
        Edition.year >= first, Edition.id.in_(frozen)).order_by(Edition.year)))
    if later:
        refresh_frozen_statistics(editions=later)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_TOUCHED, None)
        session.info.pop(_EVERYTHING, None)
