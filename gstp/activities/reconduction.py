"""« Reconduire » : copy an organization's past activities into the open edition; callers commit."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState, Occurrence
from gstp.activities.organizer_mail import mail_organizer
from gstp.activities.services import APPROVED_FIELDS
from gstp.audit.services import record_audit
from gstp.editions.models import Edition
from gstp.extensions import db

# Everything the organizer typed, plus the place and pin already found: a copy needs no
# new geocoding and keeps the pin staff or the organizer placed.
COPIED_FIELDS = (*APPROVED_FIELDS, "poster_name", "latitude", "longitude", "region_code",
                 "mrc_code", "district_code", "geocoding_status", "geocoding_source",
                 "time_zone")


def moved_date(occurrence: Occurrence, old: Edition, new: Edition
               ) -> tuple[datetime, datetime] | None:
    """The same weekday and local time in the new week, or None when it cannot be mapped."""
    # Unmappable: a date outside its own week, or a weekday the new week does not have.
    zone = ZoneInfo(occurrence.time_zone)
    start = occurrence.starts_at.astimezone(zone)
    if not old.starts_on <= start.date() <= old.ends_on:
        return None
    day = next((new.starts_on + timedelta(days=n)
                for n in range((new.ends_on - new.starts_on).days + 1)
                if (new.starts_on + timedelta(days=n)).weekday() == start.weekday()), None)
    if day is None:
        return None
    duration = occurrence.ends_at - occurrence.starts_at
    # Local wall-clock time kept across a change of offset; the length is kept as it was.
    starts_at = datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=zone)
    return starts_at, starts_at + duration


def copies_by_source(edition_id: int, source_ids: list[int]) -> dict[int, Activity]:
    """The copies already made in this edition, by the past activity they came from."""
    if not source_ids:
        return {}
    return {a.reconducted_from_id: a for a in db.session.scalars(
        sa.select(Activity).where(Activity.edition_id == edition_id,
                                  Activity.reconducted_from_id.in_(source_ids)))}


def reconductible(*, organization_id: int, edition: Edition) -> list[Activity]:
    """The organization's activities of earlier editions that may be copied (not refused)."""
    return list(db.session.scalars(
        sa.select(Activity).join(Edition, Edition.id == Activity.edition_id)
        .where(Activity.organization_id == organization_id, Edition.year < edition.year,
               Activity.state != ActivityState.REJECTED)
        .order_by(Edition.year.desc(), Activity.title)))


def _copy(source: Activity, edition: Edition, actor) -> Activity:
    copy = Activity(edition_id=edition.id, organization_id=source.organization_id,
                    created_by_id=getattr(actor, "id", None), state=ActivityState.SUBMITTED,
                    sequence=0, reconducted_from_id=source.id, dates_to_set=0,
                    **{name: getattr(source, name) for name in COPIED_FIELDS})
    occurrences = []
    for occurrence in source.occurrences:
        moved = moved_date(occurrence, source.edition, edition)
        if moved is None:
            copy.dates_to_set += 1
            continue
        occurrences.append(Occurrence(starts_at=moved[0], ends_at=moved[1],
                                      time_zone=occurrence.time_zone))
    copy.occurrences = occurrences
    db.session.add(copy)
    db.session.flush()
    record_audit(actor=actor, action="activity.submitted", target=copy,
                 details={"reconducted_from": source.id, "year": source.edition.year,
                          "dates_to_set": copy.dates_to_set})
    mail_organizer(copy, "activity_submitted")
    return copy


def reconduct(*, organization_id: int, edition: Edition, activity_ids: list[int],
              actor) -> list[Activity]:
    """Copy these past activities of the organization into the edition, for moderation."""
    # Each past activity is copied once per edition: asking again returns the first copy.
    sources = [a for a in reconductible(organization_id=organization_id, edition=edition)
               if a.id in set(activity_ids)]
    done = copies_by_source(edition.id, [a.id for a in sources])
    copies = [done.get(source.id) or _copy(source, edition, actor) for source in sources]
    db.session.flush()
    return copies


def dates_set(*, activity: Activity) -> None:
    """The organizer saved the copy's dates: nothing is left to set."""
    if activity.dates_to_set and activity.occurrences:
        activity.dates_to_set = 0
        db.session.flush()
