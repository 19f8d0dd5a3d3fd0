"""Erasing an account's personal data: on request, or when the retention period ends."""
import json
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.security import generate_password_hash

from gstp.activities.models import Activity, ActivityState
from gstp.activities.moderation import activity_finished, set_state
from gstp.audit.models import AuditEntry
from gstp.audit.services import record_audit
from gstp.db import utcnow
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.services import queue_mail
from gstp.organizations.models import User, UserRole

# What replaces an erased address or name wherever it was quoted (journal, messages).
ERASED = "compte supprimé"
STAFF_ROLES = (UserRole.STAFF, UserRole.ADMIN)
# Why an account was erased, as the journal says it (« Motif »).
REASONS = {"request": "à la demande de la personne", "inactive": "compte inactif",
           "unconfirmed": "inscription jamais confirmée"}
WITHDRAWN = " ; activités de l'organisme retirées"


class LastStaffAccount(ValueError):
    """The only active staff account cannot be erased: nobody could run the site after it."""


def is_last_staff(user: User) -> bool:
    """True when `user` is staff and no other active staff account remains."""
    if user.role not in STAFF_ROLES:
        return False
    others = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role.in_(STAFF_ROLES), User.is_active_account.is_(True),
        User.anonymised_at.is_(None), User.id != user.id))
    return not others


def is_only_member(user: User) -> bool:
    """True when `user` is the only account of their organization."""
    if user.organization_id is None:
        return False
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.organization_id == user.organization_id, User.anonymised_at.is_(None))) == 1


def erased_address(user: User) -> str:
    """The placeholder address an erased account keeps (the column is unique, never empty)."""
    return f"compte-supprime-{user.id}@anonyme.invalid"


def _replace(value, needles: list[str]):
    """`value` (any JSON value) with every needle replaced by ERASED."""
    if isinstance(value, str):
        for needle in needles:
            value = value.replace(needle, ERASED)
        return value
    if isinstance(value, list):
        return [_replace(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, needles) for key, item in value.items()}
    return value


def _needles(email: str, name: str) -> list[str]:
    """The address and the name as written, escaped in HTML and in JSON, longest first.

    A one-letter "name" would rewrite half the journal: only real names are replaced.
    """
    forms = {form for text in (email, name.strip()) if len(text) >= 3
             for form in (text, str(escape(text)), json.dumps(text)[1:-1])}
    return sorted(forms, key=len, reverse=True)


def referenced_outbox_ids() -> sa.Select:
    """Ids of outbox messages another table points to (letters, invitations keep them)."""
    # Without the NULLs: "id NOT IN (…, NULL)" is never true.
    selects = [sa.select(fk.parent).where(fk.parent.is_not(None))
               for table in db.metadata.sorted_tables
               for fk in table.foreign_keys if fk.column.table.name == "outbox_message"]
    return sa.union(*selects) if selects else sa.select(sa.null()).where(sa.false())


def _scrub_outbox(email: str, needles: list[str]) -> None:
    """Messages to the person go; messages naming them keep no trace of it."""
    referenced = referenced_outbox_ids()
    db.session.execute(sa.delete(OutboxMessage).where(
        OutboxMessage.to_address == email, OutboxMessage.id.not_in(referenced)))
    quoted = sa.or_(OutboxMessage.reply_to == email, OutboxMessage.to_address == email,
                    *[OutboxMessage.body_text.contains(n, autoescape=True) for n in needles],
                    *[OutboxMessage.subject.contains(n, autoescape=True) for n in needles])
    for message in db.session.scalars(sa.select(OutboxMessage).where(quoted)):
        if message.reply_to == email:
            message.reply_to = None
        if message.to_address == email:
            message.to_address = ERASED
        message.subject = _replace(message.subject, needles)[:255]
        message.body_text = _replace(message.body_text, needles)
        message.body_html = _replace(message.body_html, needles)


def _scrub_journal(user: User, needles: list[str]) -> None:
    """Entries by, about or quoting the person keep what happened, not who it was."""
    # JSON is stored with non-ASCII letters escaped ("B\u00e9rub\u00e9"): _needles has both.
    as_text = sa.cast(AuditEntry.details, sa.Text)
    quoting = sa.or_(AuditEntry.actor_id == user.id,
                     sa.and_(AuditEntry.target_type == User.__tablename__,
                             AuditEntry.target_id == user.id),
                     *[as_text.contains(needle, autoescape=True) for needle in needles])
    for entry in db.session.scalars(sa.select(AuditEntry).where(quoting)):
        entry.details = _replace(entry.details, needles)


def _scrub_activities(user: User, email: str, withdraw: bool) -> None:
    """Activities stay with the organization, under its address instead of the person's."""
    organization = user.organization
    if organization is not None and organization.email == email:
        organization.email = None
    for activity in db.session.scalars(sa.select(Activity).where(sa.or_(
            Activity.contact_email == email, Activity.created_by_id == user.id))):
        if activity.contact_email == email:
            activity.contact_email = organization.email if organization else None
        approved = activity.approved_public
        if approved and email in str(approved):
            # What staff approved follows the new contact: no edit appears to wait for them.
            if approved.get("contact_email") == email:
                approved = {**approved, "contact_email": activity.contact_email}
            activity.approved_public = _replace(approved, [email])
    if withdraw and organization is not None:
        for activity in db.session.scalars(sa.select(Activity).where(
                Activity.organization_id == organization.id,
                Activity.state.in_((ActivityState.SUBMITTED, ActivityState.PUBLISHED)))):
            if not activity_finished(activity):  # one that took place is history: it stays
                set_state(activity=activity, state=ActivityState.CANCELLED, actor=user)


def erase_account(*, user: User, withdraw_activities: bool = False, reason: str = "request",
                  notify: bool = True) -> None:
    """Erase the person's e-mail and name everywhere; the anonymous row keeps the links.

    Activities, figures and journal entries stay (they belong to the organization and to
    the week's history); they point to an account that no longer says who it was. The
    confirmation e-mail is blanked once delivered.
    """
    if is_last_staff(user):
        raise LastStaffAccount(user.id)
    email, name = user.email, user.name
    needles = _needles(email, name)
    withdraw = withdraw_activities and is_only_member(user)
    _scrub_activities(user, email, withdraw)
    db.session.flush()
    _scrub_outbox(email, needles)
    _scrub_journal(user, needles)
    user.email, user.name = erased_address(user), ""
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.is_active_account = False
    user.organization_id = None
    user.anonymised_at = utcnow()
    user.end_sessions()
    record_audit(actor=None, action="account.erased", target=user,
                 details={"reason": REASONS[reason] + (WITHDRAWN if withdraw else "")})
    if notify:
        message = queue_mail(to=email, subject=_("Votre compte est supprimé"),
                             template="account_deleted", kind="account.deleted",
                             inactive=reason == "inactive")
        message.erase_after_sending = True
    db.session.flush()



def _still_referenced(row, *, ignoring: frozenset[str] = frozenset()) -> bool:
    """True when a row of another table (outside `ignoring`) points to `row`."""
    table = row.__table__
    for other in db.metadata.sorted_tables:
        if other.name in ignoring:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is table and db.session.scalar(
                    sa.select(sa.literal(1)).where(fk.parent == row.id).limit(1)):
                return True
    return False


def remove_unconfirmed_account(*, user: User) -> None:
    """Delete a sign-up never confirmed, and its organization when nothing else uses it.

    An account something still points to (besides the journal) is anonymised instead.
    """
    if _still_referenced(user, ignoring=frozenset({"audit_entry"})):
        erase_account(user=user, reason="unconfirmed", notify=False)
        return
    needles = _needles(user.email, user.name)
    _scrub_outbox(user.email, needles)
    _scrub_journal(user, needles)
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.actor_id == user.id)
                       .values(actor_id=None))
    organization = user.organization
    db.session.delete(user)
    db.session.flush()
    if organization is not None and not _still_referenced(organization):
        db.session.delete(organization)
        db.session.flush()
