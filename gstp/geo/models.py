"""Reference geography of Québec: regions, MRC, municipalities, electoral districts."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import UTCDateTime, utcnow
from gstp.extensions import db
from gstp.public_version.bumping import PublicData


class Region(PublicData, db.Model):
    """One of the 17 administrative regions (code "01" … "17")."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Mrc(PublicData, db.Model):
    """A regional county municipality or equivalent territory (3-digit code)."""

    __tablename__ = "mrc"

    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    region_code: Mapped[str] = mapped_column(
        sa.ForeignKey("region.code"), nullable=False, index=True
    )

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return self.name


class District(PublicData, db.Model):
    """A provincial electoral district (circonscription) of the 2026 map."""

    __tablename__ = "district"

    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(60), nullable=False, unique=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)

    region: Mapped[Region | None] = relationship()

    def __str__(self) -> str:
        return self.name


class Municipality(PublicData, db.Model):
    """A local municipality (code géographique of the MAMH directory)."""

    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False, index=True)
    designation: Mapped[str] = mapped_column(sa.String(60), nullable=False, default="")
    # MAMH designation code; see geo.reference.LOCAL_DESIGNATION_CODES.
    designation_code: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="")
    region_code: Mapped[str] = mapped_column(
        sa.ForeignKey("region.code"), nullable=False, index=True
    )
    mrc_code: Mapped[str | None] = mapped_column(sa.ForeignKey("mrc.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(sa.ForeignKey("district.code"), index=True)
    population: Mapped[int | None] = mapped_column(sa.Integer)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    postal_code: Mapped[str | None] = mapped_column(sa.String(7))
    address: Mapped[str | None] = mapped_column(sa.String(255))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    website: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(20))

    region: Mapped[Region] = relationship()
    mrc: Mapped[Mrc | None] = relationship()
    district: Mapped[District | None] = relationship()

    def __str__(self) -> str:
        return self.name


class GeocodeCache(db.Model):
    """One answer of an outside geocoder, so the same query is never sent twice."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    query_key: Mapped[str] = mapped_column(sa.String(400), nullable=False)
    # The provider's raw answer; None when it found nothing (also worth remembering).
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (sa.UniqueConstraint("provider", "query_key", name="uq_geocode_cache_query"),)


class GeocoderThrottle(db.Model):
    """A one-row lock holding the time of the last outside request (all workers share it)."""

    __tablename__ = "geocoder_throttle"

    provider: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    last_request_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
