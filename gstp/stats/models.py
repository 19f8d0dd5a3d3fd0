"""The figures staff enter for each edition, and the records others are computed from."""
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import TimestampMixin, UTCDateTime, enum_column, utcnow
from gstp.editions.models import Edition
from gstp.extensions import db


class MetricKind(StrEnum):
    """How an entered figure reads: a count or amount, a percentage, or yes/no answers."""

    NUMBER = "number"
    PERCENTAGE = "percentage"
    YES_NO_COUNT = "yes_no_count"


class Qualifier(StrEnum):
    """How exact an entered figure is: reports say "about 60" or "200+"."""

    EXACT = "exact"
    APPROXIMATE = "approximate"
    AT_LEAST = "at_least"


class MetricDefinition(TimestampMixin, db.Model):
    """A figure staff track by hand from one edition to the next (media results, survey…)."""

    __tablename__ = "metric_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), nullable=False, unique=True)
    label_fr: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    label_en: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    unit: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="")
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    kind: Mapped[MetricKind] = enum_column(MetricKind, nullable=False, default=MetricKind.NUMBER)
    sort_order: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=100)
    # Key of the computed figure this one stands in for in editions before the platform
    # (the 2020 report's 125 letters fill « Lettres envoyées aux élus provinciaux »).
    stands_for: Mapped[str] = mapped_column(sa.String(60), nullable=False, default="")

    def label(self, locale: str) -> str:
        """Label in the visitor's language, French when no English label was given."""
        return self.label_en if locale == "en" and self.label_en else self.label_fr

    def __str__(self) -> str:
        return self.label_fr


class MetricValue(TimestampMixin, db.Model):
    """The value of one entered figure for one edition (whole province or one region)."""

    __tablename__ = "metric_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False)
    definition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("metric_definition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value: Mapped[float] = mapped_column(sa.Float, nullable=False)
    qualifier: Mapped[Qualifier] = enum_column(Qualifier, nullable=False, default=Qualifier.EXACT)
    # NULL = the whole province; otherwise the figure of one region only.
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    # "" = no breakdown; else e.g. the survey group ("Membres du Collectif — oui").
    breakdown: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    edition: Mapped[Edition] = relationship()
    definition: Mapped[MetricDefinition] = relationship()

    __table_args__ = (
        sa.Index("ix_metric_value_edition_definition", "edition_id", "definition_id"),
    )


class MediaResult(TimestampMixin, db.Model):
    """One media result of an edition (article, broadcast, post), logged by staff."""

    __tablename__ = "media_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False,
                                            index=True)
    published_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    outlet: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    url: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    # Audience of the outlet for this result; NULL = not known (not counted as 0).
    reach: Mapped[int | None] = mapped_column(sa.BigInteger)
    names_gstp: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    names_partner: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    edition: Mapped[Edition] = relationship()


class OpEd(TimestampMixin, db.Model):
    """An op-ed (lettre ouverte) of an edition, with the outlets that published it."""

    __tablename__ = "op_ed"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False,
                                            index=True)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    published_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    # One outlet a line (« Le Devoir », « La Presse »…).
    outlets: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    edition: Mapped[Edition] = relationship()
    signatories: Mapped[list["OpEdSignatory"]] = relationship(
        back_populates="op_ed", cascade="all, delete-orphan", order_by="OpEdSignatory.position")

    @property
    def outlet_list(self) -> list[str]:
        """The outlets, one per line, blanks dropped."""
        return [line.strip() for line in self.outlets.splitlines() if line.strip()]


class OpEdSignatory(db.Model):
    """A person who signed an op-ed."""

    __tablename__ = "op_ed_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    op_ed_id: Mapped[int] = mapped_column(sa.ForeignKey("op_ed.id", ondelete="CASCADE"),
                                          nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    organization: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    op_ed: Mapped[OpEd] = relationship(back_populates="signatories")


class FrozenStatistic(db.Model):
    """The computed activity figures of a closed edition (one region, or "" for Québec).

    Kept as computed by gstp.stats.frozen: a closed edition no longer changes, so the
    comparison reads these instead of aggregating its activities again.
    """

    __tablename__ = "frozen_statistic"

    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(sa.String(2), primary_key=True, default="")
    figures: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
