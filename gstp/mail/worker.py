"""The outbox worker: claims due messages, sends them over SMTP, retries with back-off."""
import logging
import smtplib
from datetime import timedelta

from flask_mail import Message

from gstp.db import utcnow
from gstp.extensions import db, mail
from gstp.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# A claimed row is hidden from other workers this long; if this worker dies mid-send,
# the row becomes due again afterwards (delivered at least once, never lost).
CLAIM_LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def claim_batch(*, batch: int) -> list[int]:
    """Reserve up to `batch` due messages for this worker and commit the reservation.

    FOR UPDATE SKIP LOCKED makes concurrent workers on PostgreSQL take disjoint rows;
    pushing send_after past the lease keeps them disjoint once the lock is released.
    """
    now = utcnow()
    rows = list(db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.send_after <= now)
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ))
    for row in rows:
        row.send_after = now + CLAIM_LEASE
    ids = [row.id for row in rows]
    db.session.commit()
    return ids


def _message(row: OutboxMessage) -> Message:
    return Message(subject=row.subject, recipients=[row.to_address], body=row.body_text,
                   html=row.body_html, reply_to=row.reply_to)


def record_failure(*, row: OutboxMessage, error: Exception) -> None:
    """Count a failed attempt: retry later with back-off, or give up after MAX_ATTEMPTS."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
    else:
        row.send_after = utcnow() + retry_delay(row.attempts)
    db.session.flush()


def deliver(*, row: OutboxMessage) -> bool:
    """Send one claimed message; True when the SMTP server accepted it."""
    try:
        mail.send(_message(row))
    except (smtplib.SMTPException, OSError) as error:
        log.warning("outbox %s: %s", row.id, error)
        record_failure(row=row, error=error)
        return False
    except Exception as error:
        # Any other error (a malformed header, an encoding problem) is counted like an SMTP
        # failure: the message ends FAILED after MAX_ATTEMPTS instead of stalling the worker
        # and coming back forever each time its claim expires.
        log.exception("outbox %s could not be built or sent", row.id)
        record_failure(row=row, error=error)
        return False
    row.status = OutboxStatus.SENT
    row.sent_at = utcnow()
    row.attempts += 1
    row.last_error = ""
    db.session.flush()
    return True


def send_pending(*, batch: int = 20) -> dict[str, int]:
    """Send one batch of due messages, committing after each; returns counts."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message_id in claim_batch(batch=batch):
        row = db.session.get(OutboxMessage, message_id)
        if row is None or row.status is not OutboxStatus.PENDING:
            continue
        if deliver(row=row):
            counts["sent"] += 1
        elif row.status is OutboxStatus.FAILED:
            counts["failed"] += 1
        else:
            counts["retry"] += 1
        db.session.commit()
    return counts


def retry_now(*, row: OutboxMessage) -> None:
    """Put a failed or waiting message back at the front of the queue (staff action)."""
    if row.status is OutboxStatus.SENT:
        return
    if row.status is OutboxStatus.FAILED:
        row.attempts = 0
    row.status = OutboxStatus.PENDING
    row.send_after = utcnow()
    db.session.flush()
