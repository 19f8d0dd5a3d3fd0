"""Activities organizations put on during the week, and their dates."""
from datetime import datetime
from enum import StrEnum
from uuid import uuid4

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import TimestampMixin, UTCDateTime, enum_column
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import District, Mrc, Municipality, Region
from gstp.organizations.models import Organization
from gstp.public_version.bumping import PublicData

DEFAULT_TIME_ZONE = "America/Toronto"


class ActivityState(StrEnum):
    """Moderation states; activities.moderation.set_state owns every transition."""

    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# Cancelled activities that had been published stay public (shown as cancelled); submitted
# and rejected never are (Activity.public).
PUBLIC_STATES = (ActivityState.PUBLISHED, ActivityState.CANCELLED)


class Category(StrEnum):
    """Kinds of activity, after annexe A of the Montréal framework."""

    CHILD_DEVELOPMENT = "developpement_global"
    EARLY_LITERACY = "eveil_lecture_ecriture"
    SCHOOL_TRANSITION = "transition_scolaire"
    INTERCULTURAL = "interculturel"
    RIGHTS_ADVOCACY = "droits_plaidoyer"
    CITIZENSHIP = "education_citoyenne"
    CULTURE = "acces_culture"
    PROFESSIONAL_TRAINING = "conference_formation"
    COMMUNITY_EVENT = "evenement_communautaire"


class Audience(StrEnum):
    """Who an activity is for."""

    FAMILIES = "familles"
    FUTURE_PARENTS = "futurs_parents"
    PRACTITIONERS = "intervenants"
    ELECTED_OFFICIALS = "elus"
    GENERAL_PUBLIC = "grand_public"


class Format(StrEnum):
    """Where an activity happens."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class GeocodingStatus(StrEnum):
    """How far an activity has been placed on the map."""

    PENDING = "pending"          # not tried yet, or a service failed: retried later
    LOCATED = "located"          # placed automatically
    TO_LOCATE = "to_locate"      # could not be placed: staff must fix it
    MANUAL = "manual"            # placed or corrected by staff
    NOT_APPLICABLE = "not_applicable"  # virtual activity, nothing to place


class Activity(PublicData, TimestampMixin, db.Model):
    """One activity of one organization in one edition."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False, index=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organization.id"), nullable=False, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    category: Mapped[Category] = enum_column(Category, nullable=False, index=True)
    audience: Mapped[Audience] = enum_column(Audience, nullable=False, index=True)
    format: Mapped[Format] = enum_column(Format, nullable=False, index=True)
    language: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="fr")
    is_free: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    price_details: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    registration_url: Mapped[str | None] = mapped_column(sa.String(500))
    virtual_url: Mapped[str | None] = mapped_column(sa.String(500))
    accessibility_notes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    contact_email: Mapped[str | None] = mapped_column(sa.String(255))
    # Poster: name of its re-encoded files (gstp.activities.posters) and its alternative text.
    poster_name: Mapped[str | None] = mapped_column(sa.String(32))
    poster_alt: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")

    venue_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    address: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    postal_code: Mapped[str | None] = mapped_column(sa.String(7))
    municipality_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("municipality.code"), index=True
    )
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)
    mrc_code: Mapped[str | None] = mapped_column(sa.ForeignKey("mrc.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(sa.ForeignKey("district.code"), index=True)
    geocoding_status: Mapped[GeocodingStatus] = enum_column(
        GeocodingStatus, nullable=False, default=GeocodingStatus.PENDING, index=True
    )
    geocoding_source: Mapped[str | None] = mapped_column(sa.String(40))
    time_zone: Mapped[str] = mapped_column(sa.String(40), nullable=False, default=DEFAULT_TIME_ZONE)

    state: Mapped[ActivityState] = enum_column(
        ActivityState, nullable=False, default=ActivityState.SUBMITTED, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # iCalendar SEQUENCE: raised by gstp.activities.sequence on every change events show.
    sequence: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # Public fields as staff approved them ({field: value}), and when an edit of the
    # published activity first differed from them (None: nothing waits for staff).
    approved_public: Mapped[dict | None] = mapped_column(sa.JSON)
    edited_since_approval_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Random token from the form: the same token twice means a double submit.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # What the full-text index reads; activities.search keeps it current before each flush.
    search_document: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # The past activity this one was copied from (« reconduite »), and how many of its
    # dates could not be moved into the new week: the organizer sets those.
    reconducted_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activity.id"))
    dates_to_set: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0,
                                              server_default="0")

    edition: Mapped[Edition] = relationship()
    organization: Mapped[Organization] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    region: Mapped[Region | None] = relationship()
    mrc: Mapped[Mrc | None] = relationship()
    district: Mapped[District | None] = relationship()
    reconducted_from: Mapped["Activity | None"] = relationship(remote_side=[id])
    occurrences: Mapped[list["Occurrence"]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="Occurrence.starts_at",
    )

    # One copy of a past activity per edition, however many times « Reconduire » is clicked.
    __table_args__ = (sa.Index("uq_activity_reconduction", "edition_id", "reconducted_from_id",
                               unique=True),)

    @hybrid_property
    def public(self) -> bool:
        """Anyone may see it: published, or cancelled once published.

        An activity withdrawn before staff approved it was never reviewed: it stays private.
        The same rule in SQL below (a WHERE clause), for the queries of public output.
        """
        return self.state == ActivityState.PUBLISHED or (
            self.state == ActivityState.CANCELLED and self.published_at is not None)

    @public.inplace.expression
    @classmethod
    def _public_expression(cls) -> sa.ColumnElement[bool]:
        return sa.or_(cls.state == ActivityState.PUBLISHED,
                      sa.and_(cls.state == ActivityState.CANCELLED,
                              cls.published_at.is_not(None)))

    def __str__(self) -> str:
        return self.title


def new_occurrence_uid() -> str:
    """The iCalendar UID of a new date (the host is added in the feed)."""
    return f"occ-{uuid4().hex}"


class Occurrence(PublicData, db.Model):
    """One date of an activity: start and end in UTC, shown in its time zone."""

    __tablename__ = "occurrence"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    # Indexed: "still to come" filters on it, and shared pages read its latest past value.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    time_zone: Mapped[str] = mapped_column(sa.String(40), nullable=False, default=DEFAULT_TIME_ZONE)
    # The start families were told before a published date moved (schema.org EventRescheduled).
    previous_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Given once and kept when the date is edited or moved: calendar apps follow the UID.
    # Dates older than this column keep "activity-<id>-occ-<id>", the UID they were served with.
    uid: Mapped[str] = mapped_column(sa.String(100), nullable=False, unique=True,
                                     default=new_occurrence_uid)

    activity: Mapped[Activity] = relationship(back_populates="occurrences")

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)


class AttendanceReport(TimestampMixin, db.Model):
    """Attendance an organization reports after the week, one per activity."""

    __tablename__ = "attendance_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    children: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    adults: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    organizations_reached: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    comments: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    activity: Mapped[Activity] = relationship(backref=sa.orm.backref("attendance", uselist=False))

    __table_args__ = (
        sa.CheckConstraint("children >= 0 AND adults >= 0 AND organizations_reached >= 0",
                           name="non_negative"),
    )
