"""Service functions of the staff tools; callers commit."""
from gstp.extensions import db
from gstp.staff.models import AuditEntry


def record_audit(*, actor, action: str, target, details: dict | None = None) -> AuditEntry:
    """Append an audit entry for `target` (any model with an `id`)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), action=action,
        target_type=target.__tablename__, target_id=target.id, details=details or {},
    )
    db.session.add(entry)
    db.session.flush()
    return entry
