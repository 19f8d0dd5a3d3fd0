"""Staff corrections are verified values: imports keep them and record conflicts instead."""
import sqlalchemy as sa

from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.letters.models import ElectedOfficial, OfficialConflict

# Fields a staff correction protects; the others (source, active, verified) follow the file.
PROTECTED_FIELDS = ("civility", "title", "full_name", "salutation", "party", "email",
                    "postal_address", "phone", "office_address")
NULLABLE_FIELDS = frozenset({"email", "phone"})


def _text(value) -> str:
    return "" if value is None else str(value)


def mark_staff_fields(official: ElectedOfficial, names) -> None:
    """Remember that staff set these fields (a new list: JSON columns track assignment)."""
    protected = set(official.staff_fields or ()) | {n for n in names if n in PROTECTED_FIELDS}
    official.staff_fields = sorted(protected)


def keep_staff_values(official: ElectedOfficial, values: dict, source: str) -> dict:
    """Drop from `values` the staff-set fields the file would change, recording conflicts.

    Returns {field: (staff value, file value)} for the change report.
    """
    conflicts = {}
    for name in official.staff_fields or ():
        if name not in values:
            continue
        file_value = values.pop(name)
        existing = db.session.scalar(sa.select(OfficialConflict).where(
            OfficialConflict.official_id == official.id, OfficialConflict.field == name))
        if _text(file_value) == _text(getattr(official, name)):
            if existing is not None:  # the file caught up with staff: nothing to resolve
                db.session.delete(existing)
            continue
        if existing is None:
            existing = OfficialConflict(official_id=official.id, field=name)
            db.session.add(existing)
        existing.file_value, existing.source = _text(file_value), source
        existing.staff_value = _text(getattr(official, name))
        conflicts[name] = (getattr(official, name), file_value)
    return conflicts


def resolve_conflict(*, conflict: OfficialConflict, take_file_value: bool, actor) -> None:
    """Keep staff's value or take the file's (which staff thereby verify); audited."""
    official = conflict.official
    before = _text(getattr(official, conflict.field))
    if take_file_value:
        value = conflict.file_value
        setattr(official, conflict.field,
                (value or None) if conflict.field in NULLABLE_FIELDS else value)
        if conflict.field == "civility":
            official.civility_guessed = False
    record_audit(actor=actor, action="official.conflict_resolved", target=official,
                 details={"field": conflict.field, "kept": "file" if take_file_value else "staff",
                          "before": before, "after": _text(getattr(official, conflict.field))})
    db.session.delete(conflict)
    db.session.flush()


def open_conflicts() -> list[OfficialConflict]:
    return list(db.session.scalars(
        sa.select(OfficialConflict).join(OfficialConflict.official)
        .order_by(ElectedOfficial.full_name, OfficialConflict.field)))


def conflict_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(OfficialConflict.id)))
