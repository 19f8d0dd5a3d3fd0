"""iCalendar SEQUENCE: it goes up with every change a subscriber's calendar shows.

One session hook instead of a bump in each service: an edit, a state change, a date
moved, added or removed, a new place (geocoding, staff), a renamed organization or
municipality all
raise it, whoever makes them, once per transaction (a subscriber only sees commits).
"""
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gstp.activities.models import PUBLIC_STATES, Activity, Occurrence
from gstp.geo.models import Municipality
from gstp.organizations.models import Organization

# Bookkeeping: a change of these alone shows nothing new in an event.
NOT_SHOWN = frozenset({"sequence", "created_at", "updated_at", "geocoding_status",
                       "geocoding_source", "submission_token", "rejection_reason",
                       "created_by_id", "approved_public", "edited_since_approval_at"})
SHOWN = tuple(c.key for c in sa.inspect(Activity).column_attrs if c.key not in NOT_SHOWN)
# What an event shows of another row: the organizer's name and page, the municipality.
SHOWN_ELSEWHERE = {Organization: ("name", "slug"), Municipality: ("name",)}


def _changed(obj, names) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _renamed_rows_activities(session: Session) -> list[Activity]:
    changed = {cls: [obj for obj in session.dirty if isinstance(obj, cls) and _changed(obj, names)]
               for cls, names in SHOWN_ELSEWHERE.items()}
    conditions = []
    if changed[Organization]:
        conditions.append(Activity.organization_id.in_([o.id for o in changed[Organization]]))
    if changed[Municipality]:
        conditions.append(Activity.municipality_code.in_([m.code for m in changed[Municipality]]))
    if not conditions:
        return []
    # The session is flushing: this query does not autoflush.
    return list(session.scalars(sa.select(Activity).where(sa.or_(*conditions))))


def _touched(session: Session) -> set[Activity]:
    dirty = session.dirty  # built anew at each read: once here, not once per object
    touched = {obj for obj in dirty if isinstance(obj, Activity) and _changed(obj, SHOWN)}
    for obj in (*session.new, *dirty, *session.deleted):
        if not isinstance(obj, Occurrence) or (obj in dirty
                                                and not session.is_modified(obj)):
            continue
        # A new date has no activity_id before the flush; a removed one has lost its link.
        activity = obj.activity or (obj.activity_id and session.get(Activity, obj.activity_id))
        if activity is not None:
            touched.add(activity)
    return touched | set(_renamed_rows_activities(session))


_RAISED = "gstp.activities.sequence.raised"


@sa.event.listens_for(Session, "before_flush")
def _raise_sequence(session, flush_context, instances) -> None:
    """Once per transaction and activity; not for a draft nobody subscribes to yet."""
    raised = session.info.setdefault(_RAISED, set())
    for activity in _touched(session):
        if not sa.inspect(activity).persistent or activity.id in raised:
            continue
        raised.add(activity.id)
        if _changed(activity, ("sequence",)):
            continue  # set by the caller: theirs stands
        if activity.state in PUBLIC_STATES or _changed(activity, ("state",)):
            activity.sequence += 1


@sa.event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    # A savepoint's rollback too: it may have taken a raise away.
    session.info.pop(_RAISED, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_RAISED, None)
