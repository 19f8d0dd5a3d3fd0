"""Attendance reminders reach people or say why not: contact, else members, else the
organization; an activity with no address is listed and never marked reminded."""
from datetime import UTC, datetime

from gstp.activities.reminders import REMINDER_ACTION, remind_attendance
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)

# The clock is frozen on 25 November 2027, after the week of 14–20 November 2027.
AFTER_THE_WEEK = datetime(2027, 11, 25, 15, tzinfo=UTC)
DURING_THE_WEEK = datetime(2027, 11, 16, 15, tzinfo=UTC)


def _reminders() -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.kind == "activity.attendance_reminder").order_by(OutboxMessage.to_address)))


def _reminded() -> list[int]:
    return list(db.session.scalars(db.select(AuditEntry.target_id).where(
        AuditEntry.action == REMINDER_ACTION).order_by(AuditEntry.target_id)))


def _silent_organization():
    return OrganizationFactory(email=None)


def test_reminders_go_to_the_contact_else_the_members_else_the_organization(app):
    edition = EditionFactory(year=2027)
    contact = ActivityFactory(edition=edition, contact_email="contact@organisme.example")
    members = _silent_organization()
    UserFactory(organization=members, email="b-membre@organisme.example")
    UserFactory(organization=members, email="a-membre@organisme.example")
    UserFactory(organization=members, email="jamais-verifie@organisme.example",
                email_verified_at=None)
    by_members = ActivityFactory(edition=edition, organization=members, contact_email=None)
    by_organization = ActivityFactory(edition=edition, contact_email=None,
                                      organization=OrganizationFactory(email="info@org.example"))
    nowhere = ActivityFactory(edition=edition, contact_email="",
                              organization=_silent_organization())
    assert remind_attendance(now=DURING_THE_WEEK).reminded == []  # not over yet
    run = remind_attendance(now=AFTER_THE_WEEK)
    db.session.commit()
    assert [a.id for a in run.reminded] == [contact.id, by_members.id, by_organization.id]
    assert [a.id for a in run.without_address] == [nowhere.id]
    assert [m.to_address for m in _reminders()] == [
        "a-membre@organisme.example", "b-membre@organisme.example",
        "contact@organisme.example", "info@org.example"]
    assert _reminded() == [contact.id, by_members.id, by_organization.id]
    # Once someone finds an address, the next run reaches the activity, and only it.
    nowhere.contact_email = "trouvee@organisme.example"
    db.session.commit()
    again = remind_attendance(now=AFTER_THE_WEEK)
    db.session.commit()
    assert [a.id for a in again.reminded] == [nowhere.id] and again.without_address == []
    assert len(_reminders()) == 5


def test_command_says_how_many_have_no_address_and_dry_run_queues_nothing(runner, client,
                                                                         as_user):
    edition = EditionFactory(year=2025)  # over, whatever today is
    reached = ActivityFactory(edition=edition, contact_email="contact@organisme.example")
    lost = ActivityFactory(edition=edition, contact_email=None, title="Conte sans adresse",
                           organization=_silent_organization())
    dry = runner.invoke(args=["gstp", "remind-attendance", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Rappels à envoyer : 1 (1 courriel(s))" in dry.output
    assert "1 sans adresse courriel" in dry.output
    assert (_reminders(), _reminded()) == ([], [])
    result = runner.invoke(args=["gstp", "remind-attendance"])
    assert "Rappels mis en file : 1 (1 courriel(s))" in result.output
    assert "1 sans adresse courriel" in result.output
    assert f"n° {lost.id} « Conte sans adresse »" in result.output
    assert "/equipe/rappels-participation" in result.output
    assert _reminded() == [reached.id]
    as_user(StaffFactory())
    page = client.get("/equipe/rappels-participation").get_data(as_text=True)
    assert "Conte sans adresse" in page and "1 activité sans adresse courriel" in page
    assert f"/activites/{reached.id}\"" not in page
