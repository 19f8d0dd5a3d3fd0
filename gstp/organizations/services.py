"""State changes of accounts and organizations; callers commit."""
import re
import unicodedata

from gstp.db import utcnow
from gstp.extensions import db
from gstp.organizations.models import Organization, OrganizationType, User, UserRole


class UserExists(ValueError):
    """An account already uses this e-mail address."""


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def slugify(text: str) -> str:
    """ASCII slug for URLs: "Maison de la Famille Ste-Foy" → "maison-de-la-famille-ste-foy"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisme"


def unique_organization_slug(name: str) -> str:
    """A slug not used by another organization (adds -2, -3 … when needed)."""
    base = slugify(name)[:200]
    taken = set(db.session.scalars(
        db.select(Organization.slug).where(Organization.slug.like(f"{base}%"))
    ))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_organization(*, name: str, type: OrganizationType, **fields) -> Organization:
    """Add an organization with a unique slug."""
    organization = Organization(name=name.strip(), type=type,
                                slug=unique_organization_slug(name), **fields)
    db.session.add(organization)
    db.session.flush()
    return organization


def find_user_by_email(email: str) -> User | None:
    """The account with this address, if any."""
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def create_user(*, email: str, password: str, role: UserRole = UserRole.ORGANIZER,
                organization_id: int | None = None, name: str = "",
                verified: bool = False) -> User:
    """Add an account; raises UserExists when the address is taken."""
    if find_user_by_email(email) is not None:
        raise UserExists(f"Un compte existe déjà pour {normalize_email(email)}.")
    user = User(email=normalize_email(email), role=role, organization_id=organization_id,
                name=name.strip(), email_verified_at=utcnow() if verified else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def record_login(*, user: User) -> None:
    """Remember when the person last signed in."""
    user.last_login_at = utcnow()
    db.session.flush()
