"""Edits to published activities: what differs from what staff approved, accepted or undone."""
from datetime import date, time

from gstp.activities import services
from gstp.activities.models import Activity, ActivityState, Audience, Category, Format
from gstp.activities.occurrences import OccurrenceInput, dates_text
from gstp.activities.organizer_mail import mail_organizer
from gstp.activities.wording import described_changes
from gstp.audit.services import changes_between, record_audit
from gstp.extensions import db
from gstp.mail.services import absolute_url

# Stored as plain values; set back as the column's type when an edit is undone.
CHOICES = {"category": Category, "audience": Audience, "format": Format}


class NothingToReview(ValueError):
    """The activity has no edit waiting for staff."""


def waiting_query():
    """Published activities edited since approval, oldest edit first."""
    return (db.select(Activity)
            .where(Activity.state == ActivityState.PUBLISHED,
                   Activity.edited_since_approval_at.is_not(None))
            .order_by(Activity.edited_since_approval_at, Activity.id))


def changes(activity: Activity) -> dict:
    """{field: [approved, now]} for every public field edited since approval."""
    if activity.approved_public is None:
        return {}
    return changes_between(activity.approved_public, services.approved_values(activity))


def _waiting(activity: Activity) -> dict:
    found = changes(activity) if activity.state is ActivityState.PUBLISHED else {}
    if not found:
        raise NothingToReview(f"activity {activity.id} has no edit to review")
    return found


def accept_edit(*, activity: Activity, actor) -> dict:
    """Approve the current public fields; the organizer is told. Returns what was accepted."""
    accepted = _waiting(activity)
    activity.approved_public = services.approved_values(activity)
    activity.edited_since_approval_at = None
    record_audit(actor=actor, action="activity.edit_accepted", target=activity, changes=accepted)
    mail_organizer(activity, "activity_edit_accepted",
                   changes=described_changes(accepted))
    db.session.flush()
    return accepted


def _dates(texts: list[str]) -> list[OccurrenceInput]:
    # "2026-05-12 09:30–11:00", as dates_text writes them.
    return [OccurrenceInput(date.fromisoformat(t[:10]), time.fromisoformat(t[11:16]),
                            time.fromisoformat(t[-5:])) for t in texts]


def revert_edit(*, activity: Activity, actor) -> dict:
    """Put back the approved public fields and dates; the organizer is told why."""
    undone = _waiting(activity)
    approved = activity.approved_public
    fields = {name: CHOICES[name](approved[name]) if name in CHOICES else approved[name]
              for name in undone if name != "occurrences"}
    dates = _dates(approved["occurrences"] if "occurrences" in undone
                   else dates_text(activity))
    services.update_activity(activity=activity, actor=actor, fields=fields, dates=dates)
    record_audit(actor=actor, action="activity.edit_reverted", target=activity,
                 changes={name: [now, was] for name, (was, now) in undone.items()})
    mail_organizer(activity, "activity_edit_reverted",
                   changes=described_changes(undone),
                   edit_link=absolute_url("activities.edit", activity_id=activity.id))
    db.session.flush()
    return undone

