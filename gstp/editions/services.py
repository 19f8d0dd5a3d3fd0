"""Known editions of the week and the choice of the current one; callers commit."""
from datetime import date, timedelta

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
    """The edition whose week has not ended yet, else the latest one."""
    today = today or date.today()
    upcoming = db.session.scalar(
        db.select(Edition).where(Edition.ends_on >= today).order_by(Edition.ends_on).limit(1)
    )
    return upcoming or db.session.scalar(db.select(Edition).order_by(Edition.year.desc()).limit(1))
