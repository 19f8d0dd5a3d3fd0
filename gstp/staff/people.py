"""Accounts, staff invitations and merging organizations, from the staff pages; callers commit."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from gstp.activities.models import Activity
from gstp.activities.returning import EditionInvitation
from gstp.activities.survey import SurveyAnswer
from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations import tokens
from gstp.organizations.models import Organization, User, UserRole
from gstp.organizations.services import UserExists, create_user, find_user_by_email, normalize_email

STAFF_INVITE_SALT = "gstp.staff-invitation"
STAFF_INVITE_MAX_AGE = timedelta(days=7)


class MergeError(ValueError):
    """Two organizations that cannot be merged (the same one, or one already merged)."""


def set_account_active(*, user: User, active: bool, actor) -> bool:
    """Deactivate (sessions end at once) or reactivate an account; True when it changed."""
    if user.is_active_account == active:
        return False
    user.is_active_account = active
    if not active:
        user.end_sessions()
    record_audit(actor=actor, action="account.reactivated" if active else "account.deactivated",
                 target=user)
    db.session.flush()
    return True


def invite_staff(*, email: str, invited_by: User) -> str:
    """E-mail a link to create a staff account; returns the link's token."""
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise UserExists(email)
    token = tokens.make_token(STAFF_INVITE_SALT, {"e": email, "by": invited_by.id})
    with force_locale("fr"):
        queue_mail(to=email, subject=_("Invitation à l'équipe de la Grande semaine"),
                   template="staff_invitation", kind="account.staff_invitation",
                   reply_to=invited_by.email, invited_by=invited_by,
                   link=absolute_url("people.accept_staff_invitation", token=token),
                   days=STAFF_INVITE_MAX_AGE.days)
    record_audit(actor=invited_by, action="account.staff_invited", target=invited_by,
                 details={"email": email})
    return token


def read_staff_invitation(*, token: str) -> str:
    """The address a valid staff invitation was sent to; InvalidToken or UserExists otherwise."""
    payload = tokens.read_token(STAFF_INVITE_SALT, token, STAFF_INVITE_MAX_AGE)
    email = payload.get("e")
    if not isinstance(email, str):
        raise tokens.InvalidToken()
    if find_user_by_email(email) is not None:
        raise UserExists(email)
    return email


def accept_staff_invitation(*, token: str, name: str, password: str) -> User:
    """Create the invited staff member's account, verified since the link reached them."""
    email = read_staff_invitation(token=token)
    return create_user(email=email, password=password, name=name, role=UserRole.STAFF,
                       verified=True)


def merge_organizations(*, kept: Organization, merged: Organization, actor) -> dict:
    """Move the activities, members, survey answers and invitations of `merged` to `kept`."""
    # `merged` stays only as a pointer, so its old addresses redirect.
    if kept.id == merged.id or kept.merged_into_id or merged.merged_into_id:
        raise MergeError(kept.id)
    # Activities one by one, through the session: their search documents (which carry the
    # organization's name), feeds and the public version follow like after any edit.
    activities = db.session.scalars(sa.select(Activity).where(
        Activity.organization_id == merged.id)).all()
    for activity in activities:
        activity.organization = kept
    moved = {
        "activities": len(activities),
        "members": db.session.execute(
            sa.update(User).where(User.organization_id == merged.id)
            .values(organization_id=kept.id)).rowcount,
        "invitations": db.session.execute(
            sa.update(EditionInvitation).where(EditionInvitation.organization_id == merged.id)
            .values(organization_id=kept.id)).rowcount,
    }
    # A question both answered keeps the answer of the organization kept.
    answered = sa.select(SurveyAnswer.question_id).where(
        SurveyAnswer.organization_id == kept.id).scalar_subquery()
    db.session.execute(sa.delete(SurveyAnswer).where(SurveyAnswer.organization_id == merged.id,
                                                     SurveyAnswer.question_id.in_(answered)))
    db.session.execute(sa.update(SurveyAnswer).where(SurveyAnswer.organization_id == merged.id)
                       .values(organization_id=kept.id))
    merged.merged_into_id = kept.id
    db.session.expire(kept, ["users"])
    record_audit(actor=actor, action="organization.merged", target=kept,
                 details={"merged": merged.name, "merged_id": merged.id, **moved})
    db.session.flush()
    return moved
