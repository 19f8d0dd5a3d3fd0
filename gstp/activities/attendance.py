"""Attendance reports: how many people a published activity reached; callers commit."""
from datetime import datetime

from gstp.activities.models import Activity, ActivityState, AttendanceReport
from gstp.audit.services import record_audit
from gstp.db import utcnow
from gstp.extensions import db


class AttendanceTooEarly(ValueError):
    """Attendance can only be reported once the activity has started."""


class AttendanceNotApproved(ValueError):
    """Attendance is reported on published activities only (it would count nowhere else)."""


def attendance_open(activity: Activity, now: datetime | None = None) -> bool:
    """Attendance may be reported once the first date has started."""
    first = activity.occurrences[0] if activity.occurrences else None
    return first is not None and first.starts_at <= (now or utcnow())


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
