"""Retention periods, applied on a frozen clock: nothing goes a day early, nothing stays late."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from gstp.extensions import db
from gstp.letters.models import Letter, LetterChannel
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.organizations.models import Organization, User
from gstp.privacy.retention import purge_personal_data
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)
from tests.letters.helpers import campaign, mayor

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
INACTIVE = timedelta(days=3 * 365)
pytestmark = pytest.mark.usefixtures("app")


def _user(*, created=NOW - 4000 * DAY, login=None, verified=True, **fields) -> User:
    return UserFactory(created_at=created, last_login_at=login,
                       email_verified_at=created if verified else None, **fields)


def _message(*, sent: datetime | None, to="quelquun@ailleurs.example") -> OutboxMessage:
    message = OutboxMessage(to_address=to, subject="Objet", body_text="Texte", body_html="<p>T</p>",
                            status=OutboxStatus.SENT if sent else OutboxStatus.PENDING,
                            sent_at=sent)
    db.session.add(message)
    db.session.commit()
    return message


def test_unconfirmed_sign_ups_go_after_30_days_with_their_empty_organization():
    old = _user(created=NOW - 31 * DAY, verified=False, name="Ancienne Inscription")
    recent = _user(created=NOW - 29 * DAY, verified=False)
    old_org = old.organization_id
    _message(sent=None, to=old.email)
    report = purge_personal_data(now=NOW)
    db.session.commit()
    assert report["unconfirmed_removed"] == 1
    assert db.session.get(User, old.id) is None and db.session.get(Organization, old_org) is None
    assert db.session.get(User, recent.id) is not None
    assert db.session.scalars(sa.select(OutboxMessage.to_address)).all() == []


def test_an_organization_with_activities_stays_when_its_unconfirmed_member_goes():
    organization = OrganizationFactory()
    ActivityFactory(organization=organization)
    gone = _user(created=NOW - 40 * DAY, verified=False, organization=organization)
    purge_personal_data(now=NOW)
    db.session.commit()
    assert db.session.get(User, gone.id) is None
    assert db.session.get(Organization, organization.id) is not None


def test_inactive_accounts_are_warned_30_days_before_then_anonymised():
    not_yet = _user(login=NOW - INACTIVE + 31 * DAY)
    warned = _user(login=NOW - INACTIVE + 29 * DAY, name="Inactive Longtemps")
    comes_back = _user(login=NOW - INACTIVE + 29 * DAY)
    report = purge_personal_data(now=NOW)
    db.session.commit()
    assert (report["inactive_warned"], report["inactive_anonymised"]) == (2, 0)
    notices = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "account.inactivity_notice")).all()
    assert sorted(m.to_address for m in notices) == sorted([warned.email, comes_back.email])
    assert "Sans nouvelle connexion d'ici le 1 juillet 2030" in next(
        m.body_text for m in notices if m.to_address == warned.email)
    assert db.session.get(User, not_yet.id).inactivity_notice_at is None

    # The same day again: nobody is warned twice.
    assert purge_personal_data(now=NOW + DAY)["inactive_warned"] == 0
    db.session.get(User, comes_back.id).last_login_at = NOW + 10 * DAY
    db.session.commit()

    day_29 = purge_personal_data(now=NOW + 29 * DAY)
    assert day_29["inactive_anonymised"] == 0
    day_30 = purge_personal_data(now=NOW + 30 * DAY)
    db.session.commit()
    assert day_30["inactive_anonymised"] == 1
    assert db.session.get(User, warned.id).anonymised_at is not None
    assert db.session.get(User, warned.id).name == ""
    assert db.session.get(User, comes_back.id).anonymised_at is None
    assert db.session.get(User, not_yet.id).anonymised_at is None


def test_the_last_staff_account_is_never_anonymised():
    staff = StaffFactory(created_at=NOW - 4000 * DAY, last_login_at=NOW - 4000 * DAY)
    purge_personal_data(now=NOW)
    assert purge_personal_data(now=NOW + 31 * DAY)["inactive_anonymised"] == 0
    db.session.commit()
    assert db.session.get(User, staff.id).anonymised_at is None


def test_delivered_messages_go_after_180_days_letters_keep_their_record(app):
    gone = _message(sent=NOW - 181 * DAY).id
    kept = _message(sent=NOW - 179 * DAY)
    waiting = _message(sent=None)
    letter_message = _message(sent=NOW - 400 * DAY, to="mairie@ville.example")
    official = mayor("10043", "Guy Caron")
    letters = campaign(EditionFactory(year=2030))
    db.session.add(Letter(campaign_id=letters.id, official_id=official.id, subject="Objet",
                          body="Lettre", channel=LetterChannel.EMAIL,
                          outbox_message_id=letter_message.id))
    db.session.add(Letter(campaign_id=letters.id, official_id=mayor("23027", "X Y").id,
                          subject="Brouillon", body="Lettre", channel=LetterChannel.POST))
    db.session.commit()

    report = purge_personal_data(now=NOW)
    db.session.commit()
    assert (report["messages_deleted"], report["message_texts_erased"]) == (1, 0)
    remaining = set(db.session.scalars(sa.select(OutboxMessage.id)))
    assert remaining == {kept.id, waiting.id, letter_message.id} and gone not in remaining
    assert db.session.get(OutboxMessage, letter_message.id).body_text == "Texte"

    app.config["RETENTION_ERASE_LETTER_BODIES"] = True
    try:
        report = purge_personal_data(now=NOW)
        db.session.commit()
    finally:
        app.config["RETENTION_ERASE_LETTER_BODIES"] = False
    assert report["message_texts_erased"] == 1
    record = db.session.get(OutboxMessage, letter_message.id)
    assert (record.body_text, record.body_html, record.subject) == ("", None, "Objet")


def test_the_command_reports_and_its_dry_run_changes_nothing(runner):
    now = datetime.now(UTC)
    user = _user(created=now - 40 * DAY, verified=False)
    _message(sent=now - 200 * DAY)
    dry = runner.invoke(args=["gstp", "purge-personal-data", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Simulation" in dry.output
    assert "inscriptions jamais confirmées supprimées 1" in dry.output
    assert "courriels envoyés effacés 1" in dry.output
    db.session.expire_all()
    assert db.session.get(User, user.id) is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    done = runner.invoke(args=["gstp", "purge-personal-data"])
    assert done.exit_code == 0 and done.output.startswith("Fait : ")
    db.session.expire_all()
    assert db.session.get(User, user.id) is None
