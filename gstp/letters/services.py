"""Campaigns, letters and invitations: each change goes through one function (callers commit)."""
from sqlalchemy.orm import selectinload

from gstp.audit.services import record_audit
from gstp.db import utcnow
from gstp.extensions import db
from gstp.letters.civility import salutation_for
from gstp.letters.conflicts import mark_staff_fields
from gstp.letters.merge import check_template, render_letter, territory_index
from gstp.letters.models import (
    Campaign,
    ElectedOfficial,
    Invitation,
    Letter,
    LetterChannel,
    LetterLanguage,
    LetterStatus,
    MunicipalTarget,
    Signatory,
)
from gstp.letters.queries import targets_query
from gstp.mail.services import queue_mail

# Realistic follow-ups: a bounced e-mail may go again (by post), an official may attend
# an activity without answering first; nothing goes back to draft.
TRANSITIONS = {
    LetterStatus.DRAFT: {LetterStatus.SENT},
    LetterStatus.SENT: {LetterStatus.BOUNCED, LetterStatus.ANSWERED, LetterStatus.MEETING,
                        LetterStatus.ATTENDED},
    LetterStatus.BOUNCED: {LetterStatus.SENT},
    LetterStatus.ANSWERED: {LetterStatus.MEETING, LetterStatus.ATTENDED},
    LetterStatus.MEETING: {LetterStatus.ATTENDED},
    LetterStatus.ATTENDED: set(),
}
DATE_FIELDS = {LetterStatus.SENT: "sent_at", LetterStatus.BOUNCED: "bounced_at",
               LetterStatus.ANSWERED: "answered_at", LetterStatus.MEETING: "meeting_at",
               LetterStatus.ATTENDED: "attended_at"}
OFFICIAL_FIELDS = ("civility", "civility_guessed", "title", "full_name", "salutation", "party",
                   "email", "postal_address", "office_address", "phone", "verified", "active",
                   "do_not_email", "contact_sources")


class IllegalTransition(ValueError):
    """The letter cannot go from its status to the one asked."""


class AlreadyInvited(ValueError):
    """This official was already invited to this activity."""


def parse_signatories(text: str) -> list[dict]:
    """One signatory a line: "Name ; role ; organization" (role and organization optional)."""
    result = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(";")]
        if parts and parts[0]:
            parts += ["", ""]
            result.append({"name": parts[0], "role": parts[1], "organization": parts[2]})
    return result


def signatories_text(campaign: Campaign) -> str:
    """The signatories back in the one-a-line form of the campaign form."""
    return "\n".join(f"{s.name} ; {s.role} ; {s.organization}".rstrip(" ;")
                     for s in campaign.signatories)


def save_campaign(*, campaign: Campaign | None, actor, edition_id: int, title: str,
                  subject: str, body_template: str, target_level, target_region_code: str | None,
                  only_with_activities: bool, signatories: str,
                  language: str = LetterLanguage.FR,
                  municipal_roles: str = MunicipalTarget.MAYORS,
                  target_mrc_code: str | None = None,
                  target_municipality_code: str | None = None) -> Campaign:
    """Create or update a campaign; the templates must render (MergeError otherwise)."""
    check_template(subject)
    check_template(body_template)
    created = campaign is None
    if created:
        campaign = Campaign(created_by_id=getattr(actor, "id", None))
        db.session.add(campaign)
    campaign.edition_id = edition_id
    campaign.title, campaign.subject, campaign.body_template = title, subject, body_template
    campaign.target_level, campaign.language = target_level, LetterLanguage(language)
    campaign.target_region_code = target_region_code or None
    campaign.target_mrc_code = target_mrc_code or None
    campaign.target_municipality_code = target_municipality_code or None
    campaign.municipal_roles = MunicipalTarget(municipal_roles)
    campaign.only_with_activities = only_with_activities
    campaign.signatories.clear()
    db.session.flush()
    for position, values in enumerate(parse_signatories(signatories)):
        campaign.signatories.append(Signatory(position=position, **values))
    db.session.flush()
    record_audit(actor=actor, action="campaign.created" if created else "campaign.updated",
                 target=campaign, details={"title": title})
    return campaign


def generate_letters(*, campaign: Campaign, actor) -> int:
    """Freeze a letter for each target that has none yet (drafts are re-rendered)."""
    existing = {letter.official_id: letter for letter in db.session.scalars(
        db.select(Letter).where(Letter.campaign_id == campaign.id))}
    created, index = 0, territory_index(campaign.edition_id)
    targets = targets_query(campaign).options(selectinload(ElectedOfficial.municipality),
                                              selectinload(ElectedOfficial.district),
                                              selectinload(ElectedOfficial.region))
    for official in db.session.scalars(targets):
        letter = existing.get(official.id)
        if letter is not None and letter.status is not LetterStatus.DRAFT:
            continue
        subject, body = render_letter(campaign, official, index)
        # « Ne pas contacter par courriel »: the letter goes by post.
        channel = (LetterChannel.EMAIL if official.email and not official.do_not_email
                   else LetterChannel.POST)
        if letter is None:
            db.session.add(Letter(campaign_id=campaign.id, official_id=official.id,
                                  subject=subject, body=body, channel=channel))
            created += 1
        else:
            letter.subject, letter.body, letter.channel = subject, body, channel
    db.session.flush()
    record_audit(actor=actor, action="campaign.generated", target=campaign,
                 details={"created": created})
    return created


def change_status(*, letter: Letter, status: LetterStatus, actor, notes: str | None = None,
                  answer_text: str | None = None) -> Letter:
    """Move a letter to `status` if allowed, dating the step and auditing it."""
    if status not in TRANSITIONS[letter.status]:
        raise IllegalTransition(f"{letter.status.value} → {status.value}")
    previous = letter.status
    letter.status = status
    setattr(letter, DATE_FIELDS[status], utcnow())
    if notes is not None:
        letter.notes = notes
    if answer_text is not None:
        letter.answer_text = answer_text
    db.session.flush()
    record_audit(actor=actor, action=f"letter.{status.value}", target=letter,
                 details={"from": previous.value, "channel": letter.channel.value})
    return letter


def update_letter_notes(*, letter: Letter, actor, notes: str, answer_text: str) -> Letter:
    """Edit the notes and the answer's text without changing the status."""
    letter.notes, letter.answer_text = notes, answer_text
    db.session.flush()
    record_audit(actor=actor, action="letter.notes", target=letter)
    return letter


def send_by_email(*, letter: Letter, actor) -> Letter:
    """Queue the letter in the outbox and mark it sent."""
    if not letter.official.email or letter.official.do_not_email:
        raise IllegalTransition("no e-mail address, or the official asked for none")
    message = queue_mail(to=letter.official.email, subject=letter.subject, template="letter",
                         kind="letter.campaign", letter=letter)
    letter.channel, letter.outbox_message_id = LetterChannel.EMAIL, message.id
    return change_status(letter=letter, status=LetterStatus.SENT, actor=actor)


def mark_sent_by_post(*, letter: Letter, actor) -> Letter:
    letter.channel = LetterChannel.POST
    return change_status(letter=letter, status=LetterStatus.SENT, actor=actor)


def send_campaign(*, campaign: Campaign, actor, channel: LetterChannel) -> int:
    """Send every draft of the channel: e-mails through the outbox, or mark post as sent
    (letters without a postal address stay drafts)."""
    drafts = db.session.scalars(db.select(Letter).where(
        Letter.campaign_id == campaign.id, Letter.status == LetterStatus.DRAFT,
        Letter.channel == channel))
    count = 0
    for letter in drafts:
        if channel is LetterChannel.POST and not letter.official.postal_address:
            continue  # no address to post it to: it stays a draft, counted apart
        if channel is LetterChannel.EMAIL:
            send_by_email(letter=letter, actor=actor)
        else:
            mark_sent_by_post(letter=letter, actor=actor)
        count += 1
    return count


def update_official(*, official: ElectedOfficial, actor, **values) -> dict:
    """Staff correction of an official; returns and audits the changed fields."""
    changes = {name: (getattr(official, name), values[name]) for name in OFFICIAL_FIELDS
               if name in values and getattr(official, name) != values[name]}
    for name, (_old, new) in changes.items():
        setattr(official, name, new)
    # Saving the form confirms a proposed civility: it becomes a staff value too.
    mark_staff_fields(official, set(changes) | ({"civility"} if "civility_guessed" in changes
                                                else set()))
    db.session.flush()
    if changes:
        record_audit(actor=actor, action="official.updated", target=official,
                     details={k: [str(v[0]), str(v[1])] for k, v in changes.items()})
    return changes


def invite_official(*, official: ElectedOfficial, activity, actor) -> Invitation:
    """E-mail an official an invitation to a published activity, once per pair."""
    duplicate = db.session.scalar(db.select(Invitation).where(
        Invitation.official_id == official.id, Invitation.activity_id == activity.id))
    if duplicate is not None:
        raise AlreadyInvited(official.full_name)
    if not official.email or official.do_not_email:
        raise ValueError("no e-mail address, or the official asked for none")
    message = queue_mail(to=official.email, subject=f"Invitation : {activity.title}",
                         template="letter_invitation", kind="letter.invitation",
                         official=official, activity=activity,
                         salutation=salutation_for(official),
                         organization=activity.organization, reply_to=activity.contact_email
                         or activity.organization.email)
    invitation = Invitation(official_id=official.id, activity_id=activity.id,
                            invited_by_id=getattr(actor, "id", None),
                            outbox_message_id=message.id)
    db.session.add(invitation)
    db.session.flush()
    record_audit(actor=actor, action="official.invited", target=invitation,
                 details={"activity_id": activity.id})
    return invitation
