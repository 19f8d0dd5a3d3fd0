"""Read-only listings of the staff tools."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.organizations.models import User

ZONE = ZoneInfo("America/Toronto")


def audit_query(*, action: str | None = None, actor_email: str | None = None,
                target_type: str | None = None, target_id: int | None = None,
                since: date | None = None, until: date | None = None):
    """Audit entries, newest first, filtered by what staff typed."""
    query = db.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor_email:
        query = query.join(AuditEntry.actor).where(
            db.func.lower(User.email).contains(actor_email.lower(), autoescape=True))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == target_id)
    if since:
        query = query.where(AuditEntry.created_at >= datetime.combine(since, time(), ZONE))
    if until:
        query = query.where(AuditEntry.created_at
                            < datetime.combine(until + timedelta(days=1), time(), ZONE))
    return query


def audit_actions() -> list[str]:
    """Distinct actions, for the filter's choices."""
    return list(db.session.scalars(
        db.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
