"""Attendance reminders after the week: to the activity's contact, else the organization's
members, else its address; an activity with none is listed, never marked reminded."""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale

from gstp.activities.models import Activity, ActivityState, AttendanceReport, Occurrence
from gstp.activities.organizer_mail import SUBJECTS
from gstp.audit.models import AuditEntry
from gstp.audit.services import record_audit
from gstp.db import utcnow
from gstp.extensions import db
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.models import Organization, User

REMINDER_ACTION = "activity.attendance_reminded"
TEMPLATE = "activity_attendance_reminder"


@dataclass
class ReminderRun:
    """What one run did (or, on a dry run, would do)."""

    reminded: list[Activity] = field(default_factory=list)
    messages: int = 0
    without_address: list[Activity] = field(default_factory=list)


def _blank(column) -> sa.ColumnElement:
    return sa.or_(column.is_(None), sa.func.trim(column) == "")


def _members(organization_id):
    """Active members with a verified address: they read what they signed up with."""
    return sa.select(User.email).where(User.organization_id == organization_id,
                                       User.is_active_account.is_(True),
                                       User.email_verified_at.is_not(None))


def _no_address() -> sa.ColumnElement:
    organization_email = (sa.select(Organization.email)
                          .where(Organization.id == Activity.organization_id)
                          .scalar_subquery())
    return sa.and_(_blank(Activity.contact_email), ~sa.exists(_members(Activity.organization_id)),
                   _blank(organization_email))


def due_query(now: datetime | None = None) -> sa.Select:
    """Published activities over, with no report and no reminder yet, oldest first."""
    last_end = (sa.select(sa.func.max(Occurrence.ends_at))
                .where(Occurrence.activity_id == Activity.id).scalar_subquery())
    reminded = (sa.select(AuditEntry.target_id)
                .where(AuditEntry.action == REMINDER_ACTION, AuditEntry.target_type == "activity"))
    return (sa.select(Activity)
            .where(Activity.state == ActivityState.PUBLISHED, last_end < (now or utcnow()),
                   ~sa.exists().where(AttendanceReport.activity_id == Activity.id),
                   Activity.id.not_in(reminded))
            .order_by(Activity.id))


def unreachable_query(now: datetime | None = None) -> sa.Select:
    """Due activities with no address to write to: staff must find one."""
    return due_query(now).where(_no_address())


def addresses(activity: Activity) -> list[str]:
    """Where the reminder goes: the contact, else the members, else the organization."""
    if activity.contact_email and activity.contact_email.strip():
        return [activity.contact_email.strip()]
    members = db.session.scalars(
        _members(activity.organization_id).order_by(User.email)).all()
    if members:
        return list(members)
    email = (activity.organization.email or "").strip()
    return [email] if email else []


def remind_attendance(*, now: datetime | None = None, dry_run: bool = False) -> ReminderRun:
    """Queue the reminders due; an activity is marked reminded only once a message is queued."""
    run = ReminderRun()
    for activity in db.session.scalars(due_query(now)):
        to = addresses(activity)
        if not to:
            run.without_address.append(activity)
            continue
        run.reminded.append(activity)
        run.messages += len(to)
        if not dry_run:
            _queue(activity, to)
    db.session.flush()
    return run


def _queue(activity: Activity, to: list[str]) -> None:
    # E-mails go out in French, the platform's first language.
    with force_locale("fr"):
        subject = str(SUBJECTS[TEMPLATE]) % {"title": " ".join(activity.title.split())}
        for address in to:
            queue_mail(to=address, subject=subject[:255], template=TEMPLATE,
                       kind="activity.attendance_reminder", activity=activity,
                       link=absolute_url("calendar.activity_detail", activity_id=activity.id),
                       report_link=absolute_url("activities.attendance",
                                                activity_id=activity.id))
    record_audit(actor=None, action=REMINDER_ACTION, target=activity,
                 details={"messages": len(to)})
