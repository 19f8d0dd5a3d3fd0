"""The privacy policy's stored versions and the register of confidentiality incidents."""
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import TimestampMixin
from gstp.extensions import db

if TYPE_CHECKING:
    from gstp.organizations.models import User


class PolicyVersion(TimestampMixin, db.Model):
    """One saved text of the privacy policy in one language; the newest one is published."""

    __tablename__ = "privacy_policy_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(5), nullable=False, index=True)
    # Plain text: blank lines separate paragraphs, "## " starts a heading, "- " a list item.
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    edited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))


class Incident(TimestampMixin, db.Model):
    """A confidentiality incident, as the register Law 25 requires keeps it."""

    __tablename__ = "privacy_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    discovered_on: Mapped[date | None] = mapped_column(sa.Date)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False)
    information_concerned: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    people_affected: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    risk_assessment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    serious_risk: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    measures: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # Dates the Commission d'accès à l'information and the people concerned were told.
    commission_notified_on: Mapped[date | None] = mapped_column(sa.Date)
    people_notified_on: Mapped[date | None] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    recorded_by: Mapped["User | None"] = relationship("User")

    __table_args__ = (sa.CheckConstraint("people_affected >= 0", name="people_non_negative"),)
