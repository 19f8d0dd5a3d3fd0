"""Op-eds of an edition: their outlets and signatories, and the figures drawn from them.
Callers commit."""
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.letters.services import parse_signatories
from gstp.stats.media import edition_of
from gstp.stats.models import OpEd, OpEdSignatory

OPED_KEYS = ("oped_signatories", "oped_outlets")


def save_op_ed(*, op_ed: OpEd | None, actor, title: str, published_on: date, outlets: str,
               signatories: str) -> OpEd:
    """Create or update an op-ed in the edition of its date; signatories one a line
    (« name ; role ; organization »), replacing the previous list."""
    created = op_ed is None
    edition = edition_of(published_on)  # before the new row joins the session (autoflush)
    if created:
        op_ed = OpEd()
        db.session.add(op_ed)
    op_ed.edition = edition
    op_ed.title, op_ed.published_on, op_ed.outlets = title, published_on, outlets
    op_ed.signatories = [OpEdSignatory(position=i, **person)
                         for i, person in enumerate(parse_signatories(signatories))]
    db.session.flush()
    record_audit(actor=actor, action="op_ed.create" if created else "op_ed.update",
                 target=op_ed, details={"title": title, "signatories": len(op_ed.signatories)})
    return op_ed


def delete_op_ed(*, op_ed: OpEd, actor) -> None:
    """Remove an op-ed and its signatories."""
    record_audit(actor=actor, action="op_ed.delete", target=op_ed, details={"title": op_ed.title})
    db.session.delete(op_ed)
    db.session.flush()


def oped_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> dict:
    """Signatories (a person who signed two op-eds counts once) and outlets per edition,
    for editions with an op-ed; op-eds are province-wide, so a region filter has none."""
    result: dict = {key: {} for key in OPED_KEYS}
    if region_code:
        return result
    people = (sa.select(OpEd.edition_id, sa.func.count(sa.distinct(
                  sa.func.lower(OpEdSignatory.name))))
              .join(OpEdSignatory, OpEdSignatory.op_ed_id == OpEd.id, isouter=True)
              .where(OpEd.edition_id.in_(list(edition_ids))).group_by(OpEd.edition_id))
    for edition_id, count in db.session.execute(people):
        result["oped_signatories"][edition_id] = int(count)
    outlets: dict[int, set] = {}
    for edition_id, text in db.session.execute(
            sa.select(OpEd.edition_id, OpEd.outlets).where(OpEd.edition_id.in_(list(edition_ids)))):
        names = {line.strip().lower() for line in text.splitlines() if line.strip()}
        outlets.setdefault(edition_id, set()).update(names)
    result["oped_outlets"] = {edition_id: len(names) for edition_id, names in outlets.items()}
    return result
