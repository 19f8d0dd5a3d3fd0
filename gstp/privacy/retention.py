"""Retention periods: what `flask gstp purge-personal-data` erases, and when."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.models import User
from gstp.privacy import erasure


def _days(name: str) -> timedelta:
    return timedelta(days=int(current_app.config[name]))


def last_seen():
    """When the person last showed up: last sign-in, else address confirmation, else sign-up."""
    return sa.func.coalesce(User.last_login_at, User.email_verified_at, User.created_at)


def remove_unconfirmed(*, now: datetime) -> int:
    """Sign-ups whose address was never confirmed within the period; how many."""
    users = db.session.scalars(sa.select(User).where(
        User.email_verified_at.is_(None), User.anonymised_at.is_(None),
        User.created_at < now - _days("RETENTION_UNVERIFIED_DAYS")).order_by(User.id)).all()
    for user in users:
        erasure.remove_unconfirmed_account(user=user)
    return len(users)


def warn_inactive(*, now: datetime) -> int:
    """Send the notice to accounts whose period ends in RETENTION_NOTICE_DAYS; how many."""
    notice = _days("RETENTION_NOTICE_DAYS")
    limit = now - (_days("RETENTION_INACTIVE_DAYS") - notice)
    users = db.session.scalars(sa.select(User).where(
        User.anonymised_at.is_(None), User.email_verified_at.is_not(None), last_seen() < limit,
        sa.or_(User.inactivity_notice_at.is_(None), User.inactivity_notice_at < last_seen()))
        .order_by(User.id)).all()
    for user in users:
        queue_mail(to=user.email, subject=_("Votre compte sera bientôt anonymisé"),
                   template="account_inactive_notice", kind="account.inactivity_notice",
                   user=user, deadline=format_date(now + notice, "long"),
                   login_link=absolute_url("organizations.login"))
        user.inactivity_notice_at = now
    db.session.flush()
    return len(users)


def anonymise_inactive(*, now: datetime) -> int:
    """Erase accounts still unused RETENTION_NOTICE_DAYS after their notice; how many."""
    users = db.session.scalars(sa.select(User).where(
        User.anonymised_at.is_(None), User.inactivity_notice_at.is_not(None),
        User.inactivity_notice_at <= now - _days("RETENTION_NOTICE_DAYS"),
        last_seen() < User.inactivity_notice_at,
        last_seen() < now - _days("RETENTION_INACTIVE_DAYS")).order_by(User.id)).all()
    erased = 0
    for user in users:
        if not erasure.is_last_staff(user):
            erasure.erase_account(user=user, reason="inactive")
            erased += 1
    return erased


def purge_outbox(*, now: datetime) -> tuple[int, int]:
    """Delete delivered messages past the period; letters keep theirs (maybe without text)."""
    old = sa.and_(OutboxMessage.status == OutboxStatus.SENT,
                  OutboxMessage.sent_at < now - _days("RETENTION_OUTBOX_DAYS"))
    referenced = erasure.referenced_outbox_ids()
    deleted = db.session.execute(sa.delete(OutboxMessage).where(
        old, OutboxMessage.id.not_in(referenced))).rowcount
    blanked = 0
    if current_app.config["RETENTION_ERASE_LETTER_BODIES"]:
        blanked = db.session.execute(sa.update(OutboxMessage).where(
            old, OutboxMessage.id.in_(referenced),
            sa.or_(OutboxMessage.body_text != "", OutboxMessage.body_html.is_not(None)))
            .values(body_text="", body_html=None)).rowcount
    return deleted, blanked


def purge_personal_data(*, now: datetime) -> dict[str, int]:
    """Apply every retention period as of `now`; counts of what was done (caller commits)."""
    report = {"unconfirmed_removed": remove_unconfirmed(now=now),
              "inactive_anonymised": anonymise_inactive(now=now),
              "inactive_warned": warn_inactive(now=now)}
    report["messages_deleted"], report["message_texts_erased"] = purge_outbox(now=now)
    db.session.flush()
    return report
