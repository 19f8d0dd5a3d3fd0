"""Writing to the journal; callers commit."""
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from gstp.audit.models import AuditEntry
from gstp.extensions import db


def plain(value):
    """A value the journal can store as JSON and show to people later."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def snapshot(record, names) -> dict:
    """The named attributes of `record`, as plain values (what `changes_between` compares)."""
    return {name: plain(getattr(record, name)) for name in names}


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for every field whose plain value differs."""
    return {name: [plain(before.get(name)), plain(value)] for name, value in after.items()
            if plain(before.get(name)) != plain(value)}


def record_audit(*, actor, action: str, target, details: dict | None = None,
                 changes: dict | None = None) -> AuditEntry:
    """Append an audit entry for `target` (any model with an `id`); changes: {field: [old, new]}."""
    details = dict(details or {})
    if changes:
        details["changes"] = {name: plain(list(pair)) for name, pair in changes.items()}
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None), action=action,
        target_type=target.__tablename__, target_id=target.id, details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
