"""Elected officials, letter campaigns per edition, the letters sent and the invitations."""
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.db import TimestampMixin, UTCDateTime, enum_column
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import District, Mrc, Municipality, Region
from gstp.organizations.models import User


class OfficialLevel(StrEnum):
    """Order of government of an elected official."""

    MUNICIPAL = "municipal"
    PROVINCIAL = "provincial"
    FEDERAL = "federal"


class OfficialRole(StrEnum):
    """The seat: a municipality's mayor or one of its councillors, or a member (MNA, MP)."""

    MAYOR = "mayor"
    COUNCILLOR = "councillor"
    MEMBER = "member"


class MunicipalTarget(StrEnum):
    """Which municipal officials a campaign writes to."""

    MAYORS = "mayors"
    COUNCILLORS = "councillors"
    BOTH = "both"


class TargetLevel(StrEnum):
    """Which officials a campaign writes to."""

    MUNICIPAL = "municipal"
    PROVINCIAL = "provincial"
    ALL = "all"


class Civility(StrEnum):
    """How an official is addressed; an empty civility means unknown (neutral forms)."""

    MADAME = "madame"
    MONSIEUR = "monsieur"


class LetterLanguage(StrEnum):
    """Language a campaign's letters are written in (titles and salutations follow it)."""

    FR = "fr"
    EN = "en"


class LetterChannel(StrEnum):
    """How a letter reaches its official."""

    EMAIL = "email"
    POST = "post"


class LetterStatus(StrEnum):
    """Where a letter stands; letters.services.change_status owns every transition."""

    DRAFT = "draft"
    SENT = "sent"
    BOUNCED = "bounced"
    ANSWERED = "answered"
    MEETING = "meeting"        # a meeting was obtained
    ATTENDED = "attended"      # the official attended an activity


# A letter counts as sent from SENT on, and as answered from ANSWERED on.
SENT_STATUSES = frozenset(LetterStatus) - {LetterStatus.DRAFT}
# A returned letter (« Retournée ») reached no one: delivered letters are the sent ones
# that did not come back, and only they count as sent, reached or in the answer rate.
DELIVERED_STATUSES = SENT_STATUSES - {LetterStatus.BOUNCED}
ANSWERED_STATUSES = frozenset({LetterStatus.ANSWERED, LetterStatus.MEETING,
                               LetterStatus.ATTENDED})


class ElectedOfficial(TimestampMixin, db.Model):
    """A mayor, MNA or MP; the natural key is level + municipality or district code."""

    __tablename__ = "elected_official"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[OfficialLevel] = enum_column(OfficialLevel, nullable=False, index=True)
    role: Mapped[OfficialRole] = enum_column(OfficialRole, nullable=False, index=True,
                                             default=OfficialRole.MAYOR)
    # Overrides the title derived from the civility and the seat (letters.civility).
    title: Mapped[str] = mapped_column(sa.String(80), nullable=False, default="")
    full_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    # A Civility value, or "" when unknown; a guessed one waits for staff to confirm it.
    civility: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="")
    civility_guessed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # Overrides the French salutation derived from the civility and the seat.
    salutation: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    party: Mapped[str] = mapped_column(sa.String(80), nullable=False, default="", index=True)
    email: Mapped[str | None] = mapped_column(sa.String(255))
    postal_address: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # Riding office of an MNA (the postal address is then the National Assembly's).
    office_address: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    # Natural key with the level: municipality code (mayors), municipality code-seat number
    # (councillors, "34025-3"), district code (MNAs) or federal riding code (MPs).
    seat_code: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    municipality_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("municipality.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(sa.ForeignKey("district.code"), index=True)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)
    source: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    # Checked by staff: an unverified import row never overwrites a verified official.
    verified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True, index=True)
    # Names of the fields staff corrected: verified values no import overwrites.
    staff_fields: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    # Public source of each contact detail ({"email": "…", "phone": "…"}), shown to staff.
    contact_sources: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    # « Ne pas contacter par courriel »: campaigns and invitations go by post instead.
    do_not_email: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    municipality: Mapped[Municipality | None] = relationship()
    district: Mapped[District | None] = relationship()
    region: Mapped[Region | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("level", "seat_code", name="uq_elected_official_seat"),
    )

    @property
    def territory_name(self) -> str:
        place = self.municipality or self.district
        return place.name if place else ""

    def __str__(self) -> str:
        return self.full_name


class OfficialConflict(TimestampMixin, db.Model):
    """An import brought a value different from the one staff set; staff choose."""

    __tablename__ = "official_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        sa.ForeignKey("elected_official.id", ondelete="CASCADE"), nullable=False, index=True)
    field: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    file_value: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    staff_value: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")

    official: Mapped[ElectedOfficial] = relationship()

    __table_args__ = (sa.UniqueConstraint("official_id", "field",
                                          name="uq_official_conflict_field"),)


class Campaign(TimestampMixin, db.Model):
    """A letter sent to many officials for one edition, from one template."""

    __tablename__ = "letter_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body_template: Mapped[str] = mapped_column(sa.Text, nullable=False)
    target_level: Mapped[TargetLevel] = enum_column(TargetLevel, nullable=False)
    language: Mapped[LetterLanguage] = enum_column(LetterLanguage, nullable=False,
                                                   default=LetterLanguage.FR)
    target_region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"))
    target_mrc_code: Mapped[str | None] = mapped_column(sa.ForeignKey("mrc.code"))
    target_municipality_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("municipality.code"))
    municipal_roles: Mapped[MunicipalTarget] = enum_column(
        MunicipalTarget, nullable=False, default=MunicipalTarget.MAYORS)
    only_with_activities: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    edition: Mapped[Edition] = relationship()
    target_region: Mapped[Region | None] = relationship()
    target_mrc: Mapped[Mrc | None] = relationship()
    target_municipality: Mapped[Municipality | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    signatories: Mapped[list["Signatory"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Signatory.position")

    def __str__(self) -> str:
        return self.title


class Signatory(db.Model):
    """A person or organization who co-signs a campaign's letter."""

    __tablename__ = "letter_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("letter_campaign.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    organization: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    campaign: Mapped[Campaign] = relationship(back_populates="signatories")


class Letter(TimestampMixin, db.Model):
    """One official's letter of a campaign, its text frozen when generated."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("letter_campaign.id", ondelete="CASCADE"), nullable=False, index=True)
    official_id: Mapped[int] = mapped_column(
        sa.ForeignKey("elected_official.id"), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    channel: Mapped[LetterChannel] = enum_column(LetterChannel, nullable=False)
    status: Mapped[LetterStatus] = enum_column(
        LetterStatus, nullable=False, default=LetterStatus.DRAFT, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answer_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))

    campaign: Mapped[Campaign] = relationship()
    official: Mapped[ElectedOfficial] = relationship()

    __table_args__ = (sa.UniqueConstraint("campaign_id", "official_id",
                                          name="uq_letter_campaign_official"),)


class Invitation(TimestampMixin, db.Model):
    """An organization invited an official to one of its activities (once per pair)."""

    __tablename__ = "official_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        sa.ForeignKey("elected_official.id"), nullable=False, index=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))

    official: Mapped[ElectedOfficial] = relationship()

    __table_args__ = (sa.UniqueConstraint("official_id", "activity_id",
                                          name="uq_invitation_official_activity"),)
