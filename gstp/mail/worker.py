"""The outbox worker: claims due messages one by one, sends them over SMTP, retries."""
import logging
import smtplib
from datetime import timedelta

from flask import current_app
from flask_mail import Message

from gstp.db import utcnow
from gstp.extensions import db, mail
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.smtp import classify

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# Each SMTP step (connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, message, QUIT)
# may wait MAIL_TIMEOUT seconds: the claim lease outlasts the slowest possible send.
SMTP_STEPS = 10
SHORTEST_LEASE = timedelta(minutes=1)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def claim_lease() -> timedelta:
    """How long a claimed message stays hidden from other workers (5 min with MAIL_TIMEOUT 30)."""
    return max(SHORTEST_LEASE,
               timedelta(seconds=SMTP_STEPS * float(current_app.config["MAIL_TIMEOUT"])))


def claim_next() -> OutboxMessage | None:
    """Reserve the next due message for this worker and commit the reservation.

    One message at a time: a worker that dies mid-send holds back only that message
    (until its lease ends), never a batch that another worker could be sending.
    FOR UPDATE SKIP LOCKED makes concurrent workers on PostgreSQL take different rows;
    pushing send_after past the lease keeps them apart once the lock is released.
    """
    now = utcnow()
    row = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.send_after <= now)
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is not None:
        row.send_after = now + claim_lease()
    db.session.commit()
    return row


def _message(row: OutboxMessage) -> Message:
    return Message(subject=row.subject, recipients=[row.to_address], body=row.body_text,
                   html=row.body_html, reply_to=row.reply_to)


def record_failure(*, row: OutboxMessage, error: Exception) -> None:
    """Count a failed attempt: permanent refusals and last attempts fail, others retry later."""
    outcome = classify(error)
    row.attempts += 1
    row.last_error = outcome.reason[:2000]
    if outcome.permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
    else:
        row.send_after = utcnow() + retry_delay(row.attempts)
    db.session.flush()


def held_by_demo(address: str) -> bool:
    """In demo mode, an address outside the demo's example domain must never get mail."""
    config = current_app.config
    domain = address.rpartition("@")[2].strip().lower()
    return bool(config.get("GSTP_DEMO")) and domain != config["DEMO_MAIL_DOMAIN"].lower()


def deliver(*, row: OutboxMessage) -> str:
    """Send one claimed message; "sent", "retry" or "failed"."""
    if held_by_demo(row.to_address):
        row.status, row.attempts = OutboxStatus.FAILED, row.attempts + 1
        row.last_error = "Démonstration : adresse hors du domaine de démonstration, non envoyé."
        db.session.flush()
        return "failed"
    try:
        mail.send(_message(row))
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
        if isinstance(error, smtplib.SMTPException | OSError):
            log.warning("outbox %s: %s", row.id, error)
        else:  # a malformed header, an encoding problem: worth a traceback in the log
            log.exception("outbox %s could not be built or sent", row.id)
        record_failure(row=row, error=error)
        if row.status is OutboxStatus.FAILED:
            erase_if_asked(row)
            return "failed"
        return "retry"
    row.status = OutboxStatus.SENT
    row.sent_at = utcnow()
    row.attempts += 1
    row.last_error = ""
    erase_if_asked(row)
    db.session.flush()
    return "sent"


def erase_if_asked(row: OutboxMessage) -> None:
    """Blank the address and text of a message that must not outlive its delivery."""
    if row.erase_after_sending:
        row.to_address, row.body_text, row.body_html, row.reply_to = "", "", None, None
        db.session.flush()


def send_pending(*, batch: int = 20) -> dict[str, int]:
    """Send up to `batch` due messages, each claimed and committed on its own; counts."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(batch):
        row = claim_next()
        if row is None:
            break
        counts[deliver(row=row)] += 1
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
