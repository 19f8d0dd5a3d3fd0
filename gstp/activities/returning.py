"""Inviting last years' organizations back: who to invite, the invitations, who came back."""
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gstp.activities.models import Activity, ActivityState
from gstp.audit.services import record_audit
from gstp.db import TimestampMixin
from gstp.editions.models import Edition
from gstp.editions.services import Registration, registration
from gstp.extensions import db
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.models import Organization, User

REMINDER_DAYS_BEFORE_CLOSING = 7
SUBJECTS = {
    "invitation": _l("La Grande semaine des tout-petits revient : reconduisez vos activités"),
    "reminder": _l("Rappel : les inscriptions à la Grande semaine ferment bientôt"),
}


class Campaign(StrEnum):
    """The two messages of an edition: the invitation, then the reminder before closing."""

    INVITATION = "invitation"
    REMINDER = "reminder"


class EditionInvitation(TimestampMixin, db.Model):
    """One message of one campaign to one person; the unique key forbids a second one."""

    __tablename__ = "edition_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), nullable=False,
                                            index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"),
                                                 nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"),
                                         nullable=False, index=True)
    campaign: Mapped[str] = mapped_column(sa.String(20), nullable=False)

    organization: Mapped[Organization] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("edition_id", "user_id", "campaign",
                                          name="uq_edition_invitation_person"),)


class ReminderTooEarly(ValueError):
    """The reminder goes out in the last week before registrations close, not before."""


class RegistrationsNotOpen(ValueError):
    """Invitations lead to « Reconduire »: only for a published edition open to submissions."""


def _check_open(edition: Edition, today: date | None) -> None:
    if edition.published_at is None or registration(edition, today) is not Registration.OPEN:
        raise RegistrationsNotOpen(edition.year)


def _came_back(edition_id: int):
    """Organizations with an activity (not refused) in the edition."""
    return (sa.select(Activity.organization_id)
            .where(Activity.edition_id == edition_id,
                   Activity.state != ActivityState.REJECTED))


def _past_participants(edition: Edition, last_editions: int):
    """Organizations with a published (or later cancelled) activity in the N editions before."""
    years = (sa.select(Edition.id).where(Edition.year < edition.year, Edition.is_demo.is_(False))
             .order_by(Edition.year.desc()).limit(last_editions).scalar_subquery())
    return (sa.select(Activity.organization_id)
            .where(Activity.edition_id.in_(years),
                   Activity.state.in_([ActivityState.PUBLISHED, ActivityState.CANCELLED])))


def _recipients(edition: Edition, organization_ids) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.organization_id.in_(organization_ids),
                              User.email_verified_at.is_not(None),
                              User.is_active_account.is_(True),
                              User.organization_id.not_in(_came_back(edition.id)))
        .order_by(User.organization_id, User.id)))


def _send(edition: Edition, users: list[User], campaign: Campaign, actor) -> list[User]:
    already = set(db.session.scalars(sa.select(EditionInvitation.user_id).where(
        EditionInvitation.edition_id == edition.id, EditionInvitation.campaign == campaign)))
    sent = []
    link = absolute_url("activities.dashboard") + "#reconduire"
    for user in users:
        if user.id in already:
            continue
        # E-mails go out in French, the platform's first language.
        with force_locale("fr"):
            queue_mail(to=user.email, subject=str(SUBJECTS[campaign]),
                       template=f"edition_{campaign}", kind=f"edition.{campaign}",
                       edition=edition, organization=user.organization, link=link)
        db.session.add(EditionInvitation(edition_id=edition.id, user_id=user.id,
                                         organization_id=user.organization_id,
                                         campaign=campaign.value))
        sent.append(user)
    record_audit(actor=actor, action=f"edition.{campaign}_sent", target=edition,
                 details={"people": len(sent)})
    db.session.flush()
    return sent


def invite_returning(*, edition: Edition, actor, last_editions: int,
                     today: date | None = None) -> list[User]:
    """E-mail every verified member of the organizations of the last N editions not back yet."""
    _check_open(edition, today)
    users = _recipients(edition, _past_participants(edition, last_editions))
    return _send(edition, users, Campaign.INVITATION, actor)


def reminder_opens_on(edition: Edition) -> date | None:
    """The first day the reminder may go out: a week before registrations close."""
    if edition.registration_closes_on is None:
        return None
    return edition.registration_closes_on - timedelta(days=REMINDER_DAYS_BEFORE_CLOSING)


def remind_invited(*, edition: Edition, actor, today: date | None = None) -> list[User]:
    """Remind the people invited whose organization has still not submitted anything."""
    _check_open(edition, today)
    opens = reminder_opens_on(edition)
    if opens is None or (today or date.today()) < opens:
        raise ReminderTooEarly(opens)
    invited = (sa.select(EditionInvitation.organization_id)
               .where(EditionInvitation.edition_id == edition.id,
                      EditionInvitation.campaign == Campaign.INVITATION))
    return _send(edition, _recipients(edition, invited), Campaign.REMINDER, actor)


@dataclass(frozen=True)
class InvitedOrganization:
    """One invited organization: whom, when, and whether it came back."""

    organization: Organization
    emails: list[str]
    reminded: bool
    activities: int


def invited_organizations(edition_id: int) -> list[InvitedOrganization]:
    """The invited organizations of an edition, the people written to, what they submitted."""
    rows = db.session.execute(
        sa.select(EditionInvitation.organization_id, EditionInvitation.campaign, User.email)
        .join(User, User.id == EditionInvitation.user_id)
        .where(EditionInvitation.edition_id == edition_id)
        .order_by(User.email)).all()
    emails: dict[int, list[str]] = {}
    reminded: set[int] = set()
    for org_id, campaign, email in rows:
        if email not in emails.setdefault(org_id, []):
            emails[org_id].append(email)
        if campaign == Campaign.REMINDER:
            reminded.add(org_id)
    counts = dict(db.session.execute(
        sa.select(Activity.organization_id, sa.func.count())
        .where(Activity.edition_id == edition_id, Activity.state != ActivityState.REJECTED,
               Activity.organization_id.in_(list(emails)))
        .group_by(Activity.organization_id)).all())
    organizations = db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(list(emails))))
    result = [InvitedOrganization(o, emails[o.id], o.id in reminded, counts.get(o.id, 0))
              for o in organizations]
    return sorted(result, key=lambda r: (r.activities == 0, r.organization.name.lower()))
