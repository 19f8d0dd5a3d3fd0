"""Read-only listing of the outbox for staff."""
from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus


def outbox_page(*, status: OutboxStatus | None, page: int, per_page: int = 50):
    """A page of outbox messages, newest first, optionally of one status."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(),
                                              OutboxMessage.id.desc())
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def outbox_counts() -> dict[str, int]:
    """How many messages are in each status."""
    rows = db.session.execute(db.select(OutboxMessage.status, db.func.count())
                              .group_by(OutboxMessage.status))
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status.value: count for status, count in rows})
    return counts
