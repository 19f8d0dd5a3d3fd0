"""State changes of accounts and organizations; callers commit."""
import hmac
import re
import unicodedata

from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations import tokens
from gstp.organizations.models import (
    Organization,
    OrganizationType,
    User,
    UserRole,
    password_matches,
    unknown_account_hash,
)


class UserExists(ValueError):
    """An account already uses this e-mail address."""


class AmbiguousMunicipality(ValueError):
    """Several municipalities of the region carry this name."""


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def slugify(text: str) -> str:
    """ASCII slug for URLs: "Maison de la Famille Ste-Foy" → "maison-de-la-famille-ste-foy"."""
    return fold_text(text).replace(" ", "-") or "organisme"


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


def authenticate(*, email: str, password: str) -> User | None:
    """The active account with this address and password, None otherwise.

    A password is hashed whether the address is known or not: a faster answer for unknown
    addresses would tell a stranger which ones have an account.
    """
    user = find_user_by_email(email)
    if user is None:
        password_matches(unknown_account_hash(), password)
        return None
    return user if user.check_password(password) and user.is_active else None


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


def fold_text(text: str) -> str:
    """Text compared without case, accents, hyphens or extra spaces (place names, passwords)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def resolve_municipality(*, text: str, region_code: str | None) -> Municipality | None:
    """The municipality named `text` (or with that 5-digit code), within the region if given.

    Returns None when nothing matches; raises AmbiguousMunicipality when several do.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return db.session.get(Municipality, text)
    query = db.select(Municipality)
    if region_code:
        query = query.where(Municipality.region_code == region_code)
    wanted = fold_text(text)
    matches = [m for m in db.session.scalars(query)
               if wanted in (fold_text(m.name), fold_text(f"{m.name} {m.designation}"))]
    if len(matches) > 1:
        raise AmbiguousMunicipality(text)
    return matches[0] if matches else None


def register_organization(*, organization_fields: dict, name: str, email: str,
                          password: str) -> User | None:
    """Create an organization with its first (unverified) member and queue the link.

    When the address already has an account, nothing is created: its owner is told by
    e-mail instead and None is returned, so the page can answer exactly as for a new
    sign-up (which would otherwise tell a stranger that the address is registered).
    """
    existing = find_user_by_email(email)
    if existing is not None:
        generate_password_hash(password)  # the time a new account's hash takes
        warn_existing_account(user=existing)
        return None
    organization = create_organization(**organization_fields)
    user = create_user(email=email, password=password, name=name,
                       organization_id=organization.id)
    queue_verification(user=user)
    return user


def warn_existing_account(*, user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it again."""
    queue_mail(to=user.email, subject=_("Vous avez déjà un compte"),
               template="account_exists", kind="account.exists", user=user,
               login_link=absolute_url("organizations.login"),
               reset_link=absolute_url("organizations.forgot_password"))


def queue_verification(*, user: User) -> None:
    """Queue the e-mail carrying the address-verification link."""
    token = tokens.make_token(tokens.VERIFY_SALT, {"u": user.id, "e": user.email})
    queue_mail(to=user.email, subject=_("Confirmez votre adresse courriel"),
               template="verify_email", kind="account.verify", user=user,
               link=absolute_url("organizations.verify_email", token=token),
               days=tokens.VERIFY_MAX_AGE.days)


def verify_email(*, token: str) -> tuple[User, bool]:
    """Mark the address of the token's account as verified; raises tokens.InvalidToken.

    Returns the account and whether this use of the link is the one that verified it.
    """
    payload = tokens.read_token(tokens.VERIFY_SALT, token, tokens.VERIFY_MAX_AGE)
    user = db.session.get(User, payload.get("u"))
    # The address is part of the token: a link sent to an old address proves nothing.
    if user is None or user.email != payload.get("e"):
        raise tokens.InvalidToken()
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = utcnow()
    db.session.flush()
    return user, True


def resend_verification(*, email: str) -> None:
    """Queue a new link when an unverified account has this address (silent otherwise)."""
    user = find_user_by_email(email)
    if user is not None and user.email_verified_at is None and user.is_active:
        queue_verification(user=user)


def request_password_reset(*, email: str) -> None:
    """Queue a reset link when an active account has this address (silent otherwise)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make_token(tokens.RESET_SALT, {
        "u": user.id, "p": tokens.password_fingerprint(user.password_hash)})
    queue_mail(to=user.email, subject=_("Réinitialisation de votre mot de passe"),
               template="reset_password", kind="account.reset", user=user,
               link=absolute_url("organizations.reset_password", token=token),
               hours=int(tokens.RESET_MAX_AGE.total_seconds() // 3600))


def user_for_reset(*, token: str) -> User:
    """The account a reset link is for, while its password is unchanged."""
    payload = tokens.read_token(tokens.RESET_SALT, token, tokens.RESET_MAX_AGE)
    user = db.session.get(User, payload.get("u"))
    if user is None or not user.is_active or not hmac.compare_digest(
            str(payload.get("p", "")), tokens.password_fingerprint(user.password_hash)):
        raise tokens.InvalidToken()
    return user


def reset_password(*, token: str, password: str) -> User:
    """Set a new password through a reset link; the link cannot be used again."""
    user = user_for_reset(token=token)
    user.set_password(password)
    # Receiving the link proves the address as well as a verification link would.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()
    return user


def end_sessions(*, user: User) -> None:
    """Sign the person out everywhere: every session and remember cookie stops working."""
    user.end_sessions()
    db.session.flush()


def change_password(*, user: User, current: str, new: str) -> bool:
    """Change the password when `current` is right; False otherwise."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    db.session.flush()
    return True


def update_account(*, user: User, name: str) -> None:
    """Change what a person may edit about themselves."""
    user.name = name.strip()
    db.session.flush()


def update_organization(*, organization: Organization, **fields) -> None:
    """Save the profile fields of an organization (its slug stays, links keep working)."""
    for key, value in fields.items():
        setattr(organization, key, value)
    db.session.flush()


def invite_member(*, organization: Organization, email: str, invited_by: User) -> str:
    """Queue an invitation to join `organization`; returns the invitation token."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise UserExists(f"Un compte existe déjà pour {email}.")
    token = tokens.make_token(tokens.INVITE_SALT, {"o": organization.id, "e": email,
                                                   "by": invited_by.id})
    queue_mail(to=email, subject=_("Invitation à rejoindre %(name)s", name=organization.name),
               template="invitation", kind="account.invitation",
               reply_to=invited_by.email, organization=organization, invited_by=invited_by,
               link=absolute_url("members.accept_invitation", token=token),
               days=tokens.INVITE_MAX_AGE.days)
    return token


def request_to_join(*, organization: Organization, name: str, email: str) -> None:
    """Ask the organization's members to invite this person (they use the invitations page)."""
    email = normalize_email(email)
    members = db.session.scalars(db.select(User.email).where(
        User.organization_id == organization.id, User.email_verified_at.is_not(None))).all()
    for member in members or ([organization.email] if organization.email else []):
        queue_mail(to=member, subject=_("Demande pour rejoindre %(name)s", name=organization.name),
                   template="join_request", kind="account.join_request", reply_to=email,
                   organization=organization, name=name, email=email,
                   link=absolute_url("members.invitations", organization_id=organization.id,
                                     email=email))


def read_invitation(*, token: str) -> tuple[Organization, str]:
    """The organization and address of a valid invitation not used yet."""
    payload = tokens.read_token(tokens.INVITE_SALT, token, tokens.INVITE_MAX_AGE)
    organization = db.session.get(Organization, payload.get("o"))
    email = payload.get("e")
    if organization is None or not isinstance(email, str):
        raise tokens.InvalidToken()
    if find_user_by_email(email) is not None:
        raise UserExists(f"Un compte existe déjà pour {email}.")
    return organization, email


def accept_invitation(*, token: str, name: str, password: str) -> User:
    """Create the invited person's account, verified since the link reached their inbox."""
    organization, email = read_invitation(token=token)
    return create_user(email=email, password=password, name=name,
                       organization_id=organization.id, verified=True)

