"""Counters of the rate limiter, shared by every worker through the database."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from gstp.extensions import db


class RateLimitCounter(db.Model):
    """Hits of one client (hashed key) in one fixed time window of one scope."""

    __tablename__ = "rate_limit_counter"

    scope: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window_seconds: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    # Unix seconds: plain integers keep the atomic upsert identical on SQLite and PostgreSQL.
    window_start: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    hits: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    expires_at: Mapped[int] = mapped_column(sa.Integer, nullable=False, index=True)
