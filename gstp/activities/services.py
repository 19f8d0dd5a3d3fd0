"""Submitting and editing activities; callers commit."""
from gstp.activities.models import Activity, ActivityState, GeocodingStatus
from gstp.activities.occurrences import (
    OccurrenceInput,
    apply_dates,
    dates_text,
    new_occurrences,
    time_zone_for,
)
from gstp.activities.organizer_mail import mail_organizer
from gstp.activities.placement.services import (
    locate_activity,
    locate_offline,
    pin_moved,
    relocate_activity,
)
from gstp.audit.services import changes_between, record_audit, snapshot
from gstp.db import utcnow
from gstp.extensions import db

ADDRESS_FIELDS = ("address", "postal_code", "municipality_code", "format")
# What staff approve and an organizer may edit afterwards (reviewed, can be put back).
APPROVED_FIELDS = ("title", "description", "format", "registration_url", "virtual_url",
                   "venue_name", "address", "postal_code", "municipality_code", "is_free",
                   "price_details", "accessibility_notes", "contact_email", "category",
                   "audience", "language", "poster_alt")


def approved_values(activity: Activity) -> dict:
    """The public fields and dates as staff approve them (compared after each edit)."""
    return snapshot(activity, APPROVED_FIELDS) | {"occurrences": dates_text(activity)}


def find_by_token(token: str | None) -> Activity | None:
    """The activity an earlier POST of the same form created, if any."""
    if not token:
        return None
    return db.session.scalar(db.select(Activity).where(Activity.submission_token == token))


def submit_activity(*, organization, edition, created_by, fields: dict,
                    dates: list[OccurrenceInput], submission_token: str | None = None,
                    pin: tuple[float, float] | None = None, imported: bool = False) -> Activity:
    """Create an activity in "submitted", place it and queue the confirmation e-mail.

    A pin the organizer placed on the form's map wins over the geocoder's point. An
    imported row is placed offline and gets no e-mail of its own (the import sends one).
    """
    existing = find_by_token(submission_token)
    if existing is not None:
        return existing
    zone = time_zone_for(fields.get("municipality_code"))
    activity = Activity(organization_id=organization.id, edition_id=edition.id,
                        created_by_id=getattr(created_by, "id", None),
                        state=ActivityState.SUBMITTED, time_zone=zone, sequence=0,
                        submission_token=submission_token or None, **fields)
    activity.occurrences = new_occurrences(dates, zone)
    db.session.add(activity)
    db.session.flush()
    (locate_offline if imported else locate_activity)(activity=activity)
    if pin_moved(activity, pin):
        relocate_activity(activity=activity, actor=created_by, latitude=pin[0],
                          longitude=pin[1], source="organizer")
    record_audit(actor=created_by, action="activity.submitted", target=activity,
                 details={"imported": True} if imported else None)
    if not imported:
        mail_organizer(activity, "activity_submitted")
    db.session.flush()
    return activity


def update_activity(*, activity: Activity, actor, fields: dict, dates: list[OccurrenceInput],
                    pin: tuple[float, float] | None = None) -> bool:
    """Apply an edit; a published activity stays published. True when anything changed.

    A pin moved on the form's map is kept; a pin left where it was stays too, unless
    the address changed: the new address is then placed afresh.
    """
    moved = pin_moved(activity, pin)
    if activity.state is ActivityState.PUBLISHED and activity.approved_public is None:
        activity.approved_public = approved_values(activity)  # published before snapshots
    changed = [name for name, value in fields.items() if getattr(activity, name) != value]
    before = snapshot(activity, changed) | {"occurrences": dates_text(activity)}
    address_changed = any(name in ADDRESS_FIELDS for name in changed)
    for name in changed:
        setattr(activity, name, fields[name])
    zone = time_zone_for(activity.municipality_code)
    dates_changed = apply_dates(activity, dates, zone) or activity.time_zone != zone
    activity.time_zone = zone
    if not changed and not dates_changed and not moved:
        return False
    if address_changed:
        # Forget the old place first: a new address left "to locate" must not keep old pins.
        activity.latitude = activity.longitude = activity.geocoding_source = None
        activity.region_code = activity.mrc_code = activity.district_code = None
        activity.geocoding_status = GeocodingStatus.PENDING
        locate_activity(activity=activity)
    if moved:
        relocate_activity(activity=activity, actor=actor, latitude=pin[0], longitude=pin[1],
                          source="organizer")
    after = snapshot(activity, changed) | {"occurrences": dates_text(activity)}
    if activity.state is ActivityState.PUBLISHED:
        # Staff review what differs from what they approved; an edit undone clears the mark.
        differs = approved_values(activity) != activity.approved_public
        activity.edited_since_approval_at = (activity.edited_since_approval_at or utcnow()
                                             ) if differs else None
    record_audit(actor=actor, action="activity.updated", target=activity,
                 changes=changes_between(before, after))
    db.session.flush()
    return True
