"""Writing to the journal; callers commit."""
from gstp.audit.models import AuditEntry
from gstp.extensions import db


def record_audit(*, actor, action: str, target, details: dict | None = None) -> AuditEntry:
    """Append an audit entry for `target` (any model with an `id`)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), action=action,
        target_type=target.__tablename__, target_id=target.id, details=details or {},
    )
    db.session.add(entry)
    db.session.flush()
    return entry
