"""Editions of the week and the yearly cycle staff run; callers commit."""
from datetime import date, timedelta
from enum import StrEnum

from blinker import Namespace

from gstp.audit.services import changes_between, record_audit, snapshot
from gstp.db import utcnow
from gstp.editions.models import Edition
from gstp.extensions import db

FIRST_YEAR = 2016  # the 5th edition was in 2020


def week_of(year: int) -> tuple[date, date]:
    """Sunday to Saturday of the week, as in 2021 (14–20 November): the Sunday of 13–19 Nov."""
    start = date(year, 11, 13)
    start += timedelta(days=(6 - start.weekday()) % 7)
    return start, start + timedelta(days=6)


def ensure_editions(last_year: int, today: date | None = None) -> list[Edition]:
    """Create the editions from 2016 up to last_year that do not exist yet.

    An edition whose week ended before it was created here was not run on the platform:
    it gets no computed figures, only those staff enter from its report.
    """
    today = today or date.today()
    existing = {e.year for e in db.session.scalars(db.select(Edition))}
    created = []
    for year in range(FIRST_YEAR, last_year + 1):
        if year in existing:
            continue
        starts_on, ends_on = week_of(year)
        edition = Edition(year=year, number=year - FIRST_YEAR + 1,
                          starts_on=starts_on, ends_on=ends_on, on_platform=ends_on >= today)
        db.session.add(edition)
        created.append(edition)
    db.session.flush()
    return created


def current_edition(today: date | None = None) -> Edition | None:
    """The published edition whose week has not ended yet, else the latest published one."""
    # A draft edition staff are preparing stays out of every public page until published.
    today = today or date.today()
    published = db.select(Edition).where(Edition.published_at.is_not(None))
    upcoming = db.session.scalar(
        published.where(Edition.ends_on >= today).order_by(Edition.ends_on).limit(1)
    )
    return upcoming or db.session.scalar(published.order_by(Edition.year.desc()).limit(1))


# Sent once when staff close an edition (sender: the Edition, actor=...): the hook where
# a higher layer freezes the edition's statistics, in the same transaction.
_signals = Namespace()
edition_closed = _signals.signal("edition-closed")

EDITABLE = ("year", "number", "starts_on", "ends_on", "theme", "theme_en",
            "registration_opens_on", "registration_closes_on")


class Registration(StrEnum):
    """Where an edition's registration period stands on a given day."""

    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


class EditionError(ValueError):
    """An edition change the yearly cycle does not allow (args[0]: the reason, a key)."""


def registration(edition: Edition, today: date | None = None) -> Registration:
    """Whether organizations may submit activities to this edition today."""
    today = today or date.today()
    if edition.closed_at is not None or today > edition.ends_on:
        return Registration.CLOSED
    if edition.registration_opens_on and today < edition.registration_opens_on:
        return Registration.NOT_YET
    if edition.registration_closes_on and today > edition.registration_closes_on:
        return Registration.CLOSED
    return Registration.OPEN


def create_edition(*, actor, fields: dict) -> Edition:
    """A new edition, as a draft: public pages ignore it until publish_edition."""
    edition = Edition(**{name: fields[name] for name in EDITABLE})
    db.session.add(edition)
    db.session.flush()
    # After the INSERT: given None there, the column's default (published) would apply.
    edition.published_at = None
    db.session.flush()
    record_audit(actor=actor, action="edition.created", target=edition,
                 changes=changes_between({}, snapshot(edition, EDITABLE)))
    return edition


def update_edition(*, edition: Edition, actor, fields: dict) -> bool:
    """Change the week, theme or registration period; True when anything changed."""
    if edition.closed_at is not None:
        raise EditionError("closed")
    before = snapshot(edition, EDITABLE)
    for name in EDITABLE:
        setattr(edition, name, fields[name])
    changes = changes_between(before, snapshot(edition, EDITABLE))
    if changes:
        record_audit(actor=actor, action="edition.updated", target=edition, changes=changes)
    db.session.flush()
    return bool(changes)


def publish_edition(*, edition: Edition, actor) -> Edition:
    """Show the edition on the public pages (it becomes the current one when its turn comes)."""
    if edition.published_at is None:
        edition.published_at = utcnow()
        record_audit(actor=actor, action="edition.published", target=edition)
        db.session.flush()
    return edition


def close_edition(*, edition: Edition, actor, today: date | None = None) -> Edition:
    """Mark the edition closed once its week is over: no more submissions, figures freeze."""
    if edition.closed_at is not None:
        return edition
    if (today or date.today()) <= edition.ends_on:
        raise EditionError("week_not_over")
    edition.closed_at = utcnow()
    record_audit(actor=actor, action="edition.closed", target=edition)
    db.session.flush()
    edition_closed.send(edition, actor=actor)
    return edition
