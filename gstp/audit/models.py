"""The journal: who did what to which record, before → after; imports no domain."""
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import TimestampMixin
from gstp.extensions import db

if TYPE_CHECKING:
    from gstp.organizations.models import User


class AuditEntry(TimestampMixin, db.Model):
    """One recorded action (created_at is when it happened)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    # Dotted verb, e.g. "activity.published", "letter.answered", "activity.relocated".
    action: Mapped[str] = mapped_column(sa.String(60), nullable=False, index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    target_id: Mapped[int | None] = mapped_column(sa.Integer)
    details: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)

    # By name: the journal sits below the accounts it points to.
    actor: Mapped["User | None"] = relationship("User")

    __table_args__ = (sa.Index("ix_audit_entry_target", "target_type", "target_id"),)
