"""Moderation: the one function that moves an activity between states; callers commit."""
from datetime import datetime

from gstp.activities.models import Activity, ActivityState
from gstp.activities.organizer_mail import mail_organizer
from gstp.activities.services import approved_values
from gstp.audit.services import record_audit
from gstp.db import utcnow
from gstp.extensions import db

# Every allowed move; anything else raises IllegalTransition.
TRANSITIONS = {
    ActivityState.SUBMITTED: {ActivityState.PUBLISHED, ActivityState.REJECTED,
                              ActivityState.CANCELLED},
    ActivityState.PUBLISHED: {ActivityState.CANCELLED},
    ActivityState.REJECTED: {ActivityState.SUBMITTED},
    ActivityState.CANCELLED: set(),
}


class IllegalTransition(ValueError):
    """A state change that the moderation rules do not allow."""


class ReasonRequired(ValueError):
    """A rejection needs a reason shown to the organization."""


class ActivityFinished(ValueError):
    """After its last date an activity is history: only staff withdraw it, with a reason."""


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
        mail_organizer(activity, "activity_published")
    elif state is ActivityState.REJECTED:
        mail_organizer(activity, "activity_rejected", reason=reason)
    elif state is ActivityState.CANCELLED:
        mail_organizer(activity, "activity_cancelled", reason=reason)
    db.session.flush()
    return activity


def activity_finished(activity: Activity, now: datetime | None = None) -> bool:
    """The last date has ended: the activity took place (or not), it is history."""
    ends = [o.ends_at for o in activity.occurrences]
    return bool(ends) and max(ends) <= (now or utcnow())
