"""Organizations that take part in the week, and the people who sign in for them."""
import secrets
from datetime import datetime
from enum import StrEnum
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from gstp.db import TimestampMixin, UTCDateTime, enum_column
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.public_version.bumping import PublicData


class OrganizationType(StrEnum):
    """Kinds of organizations that submit activities (see DOMAIN.md)."""

    LOCAL_TABLE = "instance_locale"
    REGIONAL_TABLE = "instance_regionale"
    FAMILY_ORGANIZATION = "organisme_famille"
    CHILDCARE = "service_de_garde"
    LIBRARY = "bibliotheque"
    SCHOOL_SERVICE_CENTRE = "centre_services_scolaire"
    HEALTH_SERVICES = "cisss_ciusss"
    MUNICIPALITY = "municipalite_mrc"
    PERINATAL = "ressource_perinatale"
    INDIGENOUS = "autochtone"
    ANGLOPHONE_NETWORK = "reseau_anglophone"
    NATIONAL_PARTNER = "partenaire_national"
    OTHER = "autre"


ORGANIZATION_TYPE_LABELS = {
    OrganizationType.LOCAL_TABLE: _l("Instance de concertation locale en petite enfance"),
    OrganizationType.REGIONAL_TABLE: _l("Instance régionale de concertation"),
    OrganizationType.FAMILY_ORGANIZATION: _l("Organisme communautaire Famille"),
    OrganizationType.CHILDCARE: _l("Service de garde (CPE, halte-garderie…)"),
    OrganizationType.LIBRARY: _l("Bibliothèque"),
    OrganizationType.SCHOOL_SERVICE_CENTRE: _l("Centre de services scolaire"),
    OrganizationType.HEALTH_SERVICES: _l("CISSS ou CIUSSS"),
    OrganizationType.MUNICIPALITY: _l("Municipalité ou MRC"),
    OrganizationType.PERINATAL: _l("Centre de ressources périnatales"),
    OrganizationType.INDIGENOUS: _l("Communauté ou organisme autochtone"),
    OrganizationType.ANGLOPHONE_NETWORK: _l("Réseau communautaire anglophone"),
    OrganizationType.NATIONAL_PARTNER: _l("Partenaire national"),
    OrganizationType.OTHER: _l("Autre"),
}

# Languages an organization can offer activities in (ISO 639-1/3 codes).
LANGUAGE_LABELS = {
    "fr": _l("Français"),
    "en": _l("Anglais"),
    "es": _l("Espagnol"),
    "ar": _l("Arabe"),
    "iu": _l("Inuktitut"),
    "cr": _l("Cri"),
    "moe": _l("Innu-aimun"),
}


class UserRole(StrEnum):
    """What a signed-in person may do: organizers act for one organization."""

    ORGANIZER = "organizer"
    STAFF = "staff"
    ADMIN = "admin"


class Organization(PublicData, TimestampMixin, db.Model):
    """A local, regional or national organization taking part in the week."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    slug: Mapped[str] = mapped_column(sa.String(220), nullable=False, unique=True)
    type: Mapped[OrganizationType] = enum_column(OrganizationType, nullable=False)
    region_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)
    municipality_code: Mapped[str | None] = mapped_column(
        sa.ForeignKey("municipality.code"), index=True
    )
    website: Mapped[str | None] = mapped_column(sa.String(255))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # Comma-separated ISO 639-1 codes, e.g. "fr,en".
    languages: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="fr")
    # Set when staff merged this organization into another: its pages redirect there.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))

    region: Mapped[Region | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    users: Mapped[list["User"]] = relationship(back_populates="organization")

    @property
    def type_label(self) -> str:
        return str(ORGANIZATION_TYPE_LABELS.get(self.type, self.type))

    @property
    def language_codes(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    def __str__(self) -> str:
        return self.name


SESSION_TOKEN_LENGTH = 64


def password_matches(password_hash: str, password: str) -> bool:
    """Check `password` against a stored hash (the one place that hashes a login attempt)."""
    return check_password_hash(password_hash, password)


@cache
def unknown_account_hash() -> str:
    """A hash of a random password, made like real ones, to check when no account matches.

    Checking it costs what checking a real password costs, so the answer time does not
    tell whether an address has an account.
    """
    return generate_password_hash(secrets.token_urlsafe(16))


def new_session_token() -> str:
    """A random value naming one generation of a person's sessions (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, db.Model):
    """A person who signs in: an organizer of one organization, staff or admin."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    role: Mapped[UserRole] = enum_column(UserRole, nullable=False, default=UserRole.ORGANIZER)
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organization.id"), index=True
    )
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active_account: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What session and remember cookies carry instead of the id (see get_id): giving it a
    # new value ends every session and remember cookie issued before.
    session_token: Mapped[str] = mapped_column(sa.String(SESSION_TOKEN_LENGTH), nullable=False,
                                               unique=True, default=new_session_token)
    # Law 25: when the account's personal data was erased (deleted or long inactive), and
    # when the notice before anonymising an inactive account was sent.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    inactivity_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization | None] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_staff(self) -> bool:
        return self.role in (UserRole.STAFF, UserRole.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is UserRole.ADMIN

    def get_id(self) -> str:
        """Flask-Login's alternative id: cookies name the session token, never the row id."""
        return self.session_token

    def end_sessions(self) -> None:
        """Invalidate every session and remember cookie of this person, on every device."""
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """Store the new password; sessions opened with the old one end with it."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    def __str__(self) -> str:
        return self.email
