"""Transactional outbox: every e-mail is a row first, sent later by the worker."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from gstp.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from gstp.extensions import db


class OutboxStatus(StrEnum):
    """Where a queued message stands."""

    PENDING = "pending"    # waiting for the worker (again, after a temporary failure)
    SENT = "sent"
    FAILED = "failed"      # gave up after the maximum number of attempts


class OutboxMessage(TimestampMixin, db.Model):
    """One e-mail to send, saved in the same transaction as the change that caused it."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    body_text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    reply_to: Mapped[str | None] = mapped_column(sa.String(255))
    # What the message is about, e.g. "activity.submitted", for tests, staff and de-duplication.
    kind: Mapped[str] = mapped_column(sa.String(60), nullable=False, default="", index=True)
    status: Mapped[OutboxStatus] = enum_column(
        OutboxStatus, nullable=False, default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Address and body blanked once delivered (or given up): e.g. the confirmation of an
    # account's deletion must not keep the address it erased.
    erase_after_sending: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
