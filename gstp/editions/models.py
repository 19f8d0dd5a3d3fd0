"""Editions of the week: year, dates, theme; reference data every domain dates against."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column

from gstp.db import TimestampMixin, UTCDateTime, utcnow
from gstp.extensions import db
from gstp.i18n import ordinal
from gstp.public_version.bumping import PublicData


class Edition(PublicData, TimestampMixin, db.Model):
    """One yearly edition of the Grande semaine des tout-petits."""

    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False, unique=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    starts_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    theme: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    theme_en: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    # Registration period, both days included; None: open on that side.
    registration_opens_on: Mapped[date | None] = mapped_column(sa.Date)
    registration_closes_on: Mapped[date | None] = mapped_column(sa.Date)
    # Editions made by `gstp init` are public at once; staff create theirs as drafts
    # (editions.services.create_edition) and publish them when ready.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # Set once by editions.services.close_edition, after the attendance period.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Demo editions are labelled so nobody mistakes generated data for real figures.
    is_demo: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # Editions before the platform have no computed figures: only what staff entered.
    on_platform: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return edition_label(self)

    @property
    def shown_theme(self) -> str:
        """The theme in the page's language (French when no English one was given)."""
        locale = get_locale()
        if locale is not None and locale.language == "en" and self.theme_en:
            return self.theme_en
        return self.theme

    @property
    def short_label(self) -> str:
        """The year, « 2027 (démonstration) » for the demo: for table headers and menus."""
        if self.is_demo:
            return _("%(year)s (démonstration)", year=self.year)
        return str(self.year)

    @property
    def chart_label(self) -> str:
        """The year, « 2027 (démo.) » for the demo: short enough for a chart's axis."""
        if self.is_demo:
            return _("%(year)s (démo.)", year=self.year)
        return str(self.year)


def edition_label(edition: Edition) -> str:
    """« 1re édition (2016) », « 6th edition (2021) », marked when it is the demo."""
    label = _("%(ordinal)s édition (%(year)s)", ordinal=ordinal(edition.number),
              year=edition.year)
    return _("%(label)s — démonstration", label=label) if edition.is_demo else label
