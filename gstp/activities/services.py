"""Submitting, editing, moderating activities and reporting attendance; callers commit."""
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from gstp.activities.models import (
    DEFAULT_TIME_ZONE,
    Activity,
    ActivityState,
    AttendanceReport,
    GeocodingStatus,
    Occurrence,
)
from gstp.activities.placement.services import (
    locate_activity,
    locate_offline,
    pin_moved,
    relocate_activity,
)
from gstp.audit.services import changes_between, record_audit, snapshot
from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.models import User

# Le Golfe-du-Saint-Laurent (Basse-Côte-Nord), east of the Natashquan river, keeps
# Atlantic time all year.
LOWER_NORTH_SHORE_MRC = "982"
LOWER_NORTH_SHORE_ZONE = "America/Blanc-Sablon"

# Every allowed move; anything else raises IllegalTransition.
TRANSITIONS = {
    ActivityState.SUBMITTED: {ActivityState.PUBLISHED, ActivityState.REJECTED,
                              ActivityState.CANCELLED},
    ActivityState.PUBLISHED: {ActivityState.CANCELLED},
    ActivityState.REJECTED: {ActivityState.SUBMITTED},
    ActivityState.CANCELLED: set(),
}
ADDRESS_FIELDS = ("address", "postal_code", "municipality_code", "format")
# What staff approve and an organizer may edit afterwards (reviewed, can be put back).
APPROVED_FIELDS = ("title", "description", "format", "registration_url", "virtual_url",
                   "venue_name", "address", "postal_code", "municipality_code", "is_free",
                   "price_details", "accessibility_notes", "contact_email", "category",
                   "audience", "language", "poster_alt")
SUBJECTS = {
    "activity_submitted": _l("Activité reçue : %(title)s"),
    "activity_published": _l("Activité publiée : %(title)s"),
    "activity_rejected": _l("Activité refusée : %(title)s"),
    "activity_cancelled": _l("Activité annulée : %(title)s"),
    "activity_attendance_reminder": _l("Combien de personnes avez-vous rejointes ? %(title)s"),
    "activity_edit_accepted": _l("Modifications acceptées : %(title)s"),
    "activity_edit_reverted": _l("Modifications annulées : %(title)s"),
}


class IllegalTransition(ValueError):
    """A state change that the moderation rules do not allow."""


class ReasonRequired(ValueError):
    """A rejection needs a reason shown to the organization."""


class AttendanceTooEarly(ValueError):
    """Attendance can only be reported once the activity has started."""


class AttendanceNotApproved(ValueError):
    """Attendance is reported on published activities only (it would count nowhere else)."""


class ActivityFinished(ValueError):
    """After its last date an activity is history: only staff withdraw it, with a reason."""


@dataclass(frozen=True)
class OccurrenceInput:
    """One date typed in the form, in the activity's local time."""

    day: date
    starts: time
    ends: time
    uid: str | None = None  # the date this row edits (echoed by the form); None: a new one


def time_zone_for(municipality_code: str | None) -> str:
    """The activity's IANA zone: Blanc-Sablon for the Lower North Shore, else Toronto."""
    if municipality_code:
        municipality = db.session.get(Municipality, municipality_code)
        if municipality is not None and municipality.mrc_code == LOWER_NORTH_SHORE_MRC:
            return LOWER_NORTH_SHORE_ZONE
    return DEFAULT_TIME_ZONE


def _occurrences(dates: list[OccurrenceInput], zone: str) -> list[Occurrence]:
    tz = ZoneInfo(zone)
    return [Occurrence(starts_at=datetime.combine(d.day, d.starts, tzinfo=tz),
                       ends_at=datetime.combine(d.day, d.ends, tzinfo=tz), time_zone=zone)
            for d in sorted(dates, key=lambda d: (d.day, d.starts))]


def _match_dates(existing: list[Occurrence], dates: list[OccurrenceInput],
                 wanted: list[Occurrence]) -> list[Occurrence | None]:
    """For each wanted date, the existing row it edits (None: a new date).

    By the row the form echoed, else the same times, else (callers that echo nothing,
    like imports) the remaining dates paired in time order: a moved date keeps its UID.
    """
    left = {o.uid: o for o in existing}
    matched: list[Occurrence | None] = [left.pop(d.uid, None) if d.uid else None for d in dates]
    for i, new in enumerate(wanted):
        if matched[i] is None:
            same = next((o for o in left.values() if (o.starts_at, o.ends_at) ==
                         (new.starts_at, new.ends_at)), None)
            matched[i] = same and left.pop(same.uid)
    if not any(d.uid for d in dates):
        rest = iter(sorted(left.values(), key=lambda o: o.starts_at))
        matched = [m or next(rest, None) for m in matched]
    return matched


def _apply_dates(activity: Activity, dates: list[OccurrenceInput], zone: str) -> bool:
    """Edit the dates in place, so each keeps its row and UID; True when any changed."""
    dates = sorted(dates, key=lambda d: (d.day, d.starts))
    wanted = _occurrences(dates, zone)
    before = [(o.uid, o.starts_at, o.ends_at, o.time_zone) for o in activity.occurrences]
    result = []
    for new, row in zip(wanted, _match_dates(activity.occurrences, dates, wanted), strict=True):
        if row is None:
            result.append(new)
            continue
        if activity.state is ActivityState.PUBLISHED:
            _remember_announced_start(row, new.starts_at)
        row.starts_at, row.ends_at, row.time_zone = new.starts_at, new.ends_at, zone
        result.append(row)
    # Rows left out are removed (delete-orphan): their events leave the feeds.
    activity.occurrences = result
    after = [(o.uid, o.starts_at, o.ends_at, o.time_zone) for o in result]
    return before != after


def _remember_announced_start(row: Occurrence, starts_at) -> None:
    """Keep the first announced start of a published date that moves; forget it once back."""
    if row.starts_at == starts_at:
        return
    announced = row.previous_starts_at or row.starts_at
    row.previous_starts_at = None if announced == starts_at else announced


def _recipient(activity: Activity) -> str | None:
    if activity.contact_email:
        return activity.contact_email
    user = db.session.get(User, activity.created_by_id) if activity.created_by_id else None
    return user.email if user else activity.organization.email


def _mail(activity: Activity, template: str, **context) -> None:
    to = _recipient(activity)
    if not to:
        return
    # E-mails go out in French, the platform's first language, whoever triggered them.
    with force_locale("fr"):
        subject = str(SUBJECTS[template]) % {"title": " ".join(activity.title.split())}
        queue_mail(to=to, subject=subject[:255], template=template,
                   kind=f"activity.{template.removeprefix('activity_')}", activity=activity,
                   link=absolute_url("calendar.activity_detail", activity_id=activity.id),
                   **context)


def dates_text(activity: Activity) -> list[str]:
    """The activity's dates as « 2026-05-12 09:30–11:00 » in its zone (journal, reviews)."""
    return [f"{o.starts_at.astimezone(ZoneInfo(activity.time_zone)):%Y-%m-%d %H:%M}"
            f"–{o.ends_at.astimezone(ZoneInfo(activity.time_zone)):%H:%M}"
            for o in activity.occurrences]


def approved_values(activity: Activity) -> dict:
    """The public fields and dates as staff approve them (compared after each edit)."""
    return snapshot(activity, APPROVED_FIELDS) | {"occurrences": dates_text(activity)}


def mail_organizer(activity: Activity, template: str, **context) -> None:
    """Queue templates/email/<template> to the activity's contact (subject in SUBJECTS)."""
    _mail(activity, template, **context)


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
    activity.occurrences = _occurrences(dates, zone)
    db.session.add(activity)
    db.session.flush()
    (locate_offline if imported else locate_activity)(activity=activity)
    if pin_moved(activity, pin):
        relocate_activity(activity=activity, actor=created_by, latitude=pin[0],
                          longitude=pin[1], source="organizer")
    record_audit(actor=created_by, action="activity.submitted", target=activity,
                 details={"imported": True} if imported else None)
    if not imported:
        _mail(activity, "activity_submitted")
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
    dates_changed = _apply_dates(activity, dates, zone) or activity.time_zone != zone
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


def set_state(*, activity: Activity, state: ActivityState, actor, reason: str = "") -> Activity:
    """The one place that moves an activity between moderation states."""
    state = ActivityState(state)
    if state not in TRANSITIONS[activity.state]:
        raise IllegalTransition(
            f"transition {activity.state.value} → {state.value} is not allowed")
    if state is ActivityState.PUBLISHED and not activity.occurrences:
        # A copy whose dates could not be moved waits for its organizer to set them.
        raise IllegalTransition("an activity without a date cannot be published")
    reason = (reason or "").strip()
    if state is ActivityState.REJECTED and not reason:
        raise ReasonRequired("a rejection needs a reason")
    if state is ActivityState.CANCELLED and activity_finished(activity):
        if not getattr(actor, "is_staff", False):
            raise ActivityFinished("a finished activity is not cancelled by its organizer")
        if not reason:
            raise ReasonRequired("withdrawing a finished activity needs a reason")
    previous = activity.state
    activity.state = state
    now = utcnow()
    if state is ActivityState.PUBLISHED:
        activity.published_at = now
        activity.rejection_reason = ""
        activity.approved_public = approved_values(activity)
        activity.edited_since_approval_at = None
    elif state is ActivityState.REJECTED:
        activity.rejection_reason = reason
    elif state is ActivityState.CANCELLED:
        activity.cancelled_at = now
    elif state is ActivityState.SUBMITTED:
        activity.rejection_reason = ""
    record_audit(actor=actor, action=f"activity.{state.value}", target=activity,
                 details={"from": previous.value, "reason": reason} if reason
                 else {"from": previous.value},
                 changes={"state": [previous.value, state.value]})
    if state is ActivityState.PUBLISHED:
        _mail(activity, "activity_published")
    elif state is ActivityState.REJECTED:
        _mail(activity, "activity_rejected", reason=reason)
    elif state is ActivityState.CANCELLED:
        _mail(activity, "activity_cancelled", reason=reason)
    db.session.flush()
    return activity


def attendance_open(activity: Activity, now: datetime | None = None) -> bool:
    """Attendance may be reported once the first date has started."""
    first = activity.occurrences[0] if activity.occurrences else None
    return first is not None and first.starts_at <= (now or utcnow())


def activity_finished(activity: Activity, now: datetime | None = None) -> bool:
    """The last date has ended: the activity took place (or not), it is history."""
    ends = [o.ends_at for o in activity.occurrences]
    return bool(ends) and max(ends) <= (now or utcnow())


def report_attendance(*, activity: Activity, actor, children: int, adults: int,
                      organizations_reached: int, comments: str = "") -> AttendanceReport:
    """Create or edit the activity's single attendance report (published activities only)."""
    if activity.state is not ActivityState.PUBLISHED:
        raise AttendanceNotApproved(f"activity {activity.id} is {activity.state.value}")
    if not attendance_open(activity):
        raise AttendanceTooEarly("the activity has not started yet")
    report = activity.attendance
    if report is None:
        report = AttendanceReport(activity_id=activity.id)
        db.session.add(report)
        activity.attendance = report
    report.children, report.adults = children, adults
    report.organizations_reached, report.comments = organizations_reached, comments
    report.reported_by_id = getattr(actor, "id", None)
    db.session.flush()
    record_audit(actor=actor, action="activity.attendance_reported", target=activity,
                 details={"children": children, "adults": adults,
                          "organizations_reached": organizations_reached})
    return report
