"""State transitions, sequence bumps, audit entries and queued e-mails of the services."""
from datetime import date, datetime, time, timedelta

import pytest

from gstp.activities import services
from gstp.activities.attendance import AttendanceTooEarly, attendance_open, report_attendance
from gstp.activities.models import Activity, ActivityState, AttendanceReport, GeocodingStatus
from gstp.activities.moderation import IllegalTransition, ReasonRequired, set_state
from gstp.activities.occurrences import OccurrenceInput, time_zone_for
from gstp.activities.reminders import REMINDER_ACTION
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app")


def _mails(kind=None):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


@pytest.fixture
def submitted():
    edition = open_edition()
    return ActivityFactory(edition=edition, state=ActivityState.SUBMITTED, published_at=None,
                           contact_email="contact@organisme.example")


def test_publish_sets_date_sequence_audit_and_mail(submitted):
    staff = StaffFactory()
    set_state(activity=submitted, state=ActivityState.PUBLISHED, actor=staff)
    db.session.commit()
    assert submitted.state is ActivityState.PUBLISHED
    assert submitted.published_at is not None
    assert submitted.sequence == 1
    [entry] = _audit("activity.published")
    assert (entry.actor_id, entry.target_id, entry.details) == (
        staff.id, submitted.id,
        {"from": "submitted", "changes": {"state": ["submitted", "published"]}})
    [mail] = _mails("activity.published")
    assert mail.to_address == "contact@organisme.example"
    assert mail.subject == f"Activité publiée : {submitted.title}"
    assert f"http://localhost/activites/{submitted.id}" in mail.body_text
    assert "est maintenant publiée" in mail.body_text


def test_reject_needs_reason_and_mails_it(submitted):
    staff = StaffFactory()
    with pytest.raises(ReasonRequired):
        set_state(activity=submitted, state=ActivityState.REJECTED, actor=staff,
                  reason="  ")
    assert submitted.state is ActivityState.SUBMITTED
    set_state(activity=submitted, state=ActivityState.REJECTED, actor=staff,
              reason="Les dates sont hors de la semaine.")
    db.session.commit()
    assert submitted.rejection_reason == "Les dates sont hors de la semaine."
    [mail] = _mails("activity.rejected")
    assert "Les dates sont hors de la semaine." in mail.body_text
    assert f"/mes-activites/{submitted.id}/modifier" in mail.body_text
    [entry] = _audit("activity.rejected")
    assert entry.details["reason"] == "Les dates sont hors de la semaine."


def test_resubmission_after_rejection_then_cancel(submitted):
    staff, organizer = StaffFactory(), UserFactory(organization=submitted.organization)
    # Three requests, three transactions: SEQUENCE rises once in each.
    set_state(activity=submitted, state="rejected", actor=staff, reason="Adresse ?")
    db.session.commit()
    set_state(activity=submitted, state=ActivityState.SUBMITTED, actor=organizer)
    assert submitted.rejection_reason == ""
    db.session.commit()
    set_state(activity=submitted, state=ActivityState.CANCELLED, actor=organizer)
    db.session.commit()
    assert submitted.cancelled_at is not None
    assert submitted.sequence == 3
    assert [m.kind for m in _mails()] == ["activity.rejected", "activity.cancelled"]


def test_published_can_be_cancelled():
    activity = ActivityFactory(edition=open_edition(), contact_email=None)
    organizer = UserFactory(organization=activity.organization)
    set_state(activity=activity, state=ActivityState.CANCELLED, actor=organizer,
              reason="Tempête de neige")
    db.session.commit()
    assert activity.state is ActivityState.CANCELLED
    [mail] = _mails("activity.cancelled")
    assert mail.to_address == activity.organization.email  # no contact, no creator
    assert "Tempête de neige" in mail.body_text


@pytest.mark.parametrize(("start", "target"), [
    (ActivityState.PUBLISHED, ActivityState.REJECTED),
    (ActivityState.PUBLISHED, ActivityState.SUBMITTED),
    (ActivityState.PUBLISHED, ActivityState.PUBLISHED),
    (ActivityState.CANCELLED, ActivityState.PUBLISHED),
    (ActivityState.CANCELLED, ActivityState.SUBMITTED),
    (ActivityState.REJECTED, ActivityState.PUBLISHED),
    (ActivityState.SUBMITTED, ActivityState.SUBMITTED),
])
def test_illegal_transitions_raise_and_change_nothing(start, target):
    activity = ActivityFactory(edition=open_edition(), state=start)
    with pytest.raises(IllegalTransition, match=f"{start.value} → {target.value}"):
        set_state(activity=activity, state=target, actor=StaffFactory(),
                  reason="raison")
    assert activity.state is start
    assert activity.sequence == 0
    assert _mails() == []
    assert db.session.scalars(db.select(AuditEntry)).all() == []


def _tz(activity):
    from zoneinfo import ZoneInfo

    return ZoneInfo(activity.time_zone)


def _dates(activity):
    """The activity's dates as the form would give them back, unchanged."""
    zone = _tz(activity)
    return [OccurrenceInput(o.starts_at.astimezone(zone).date(),
                            o.starts_at.astimezone(zone).time(),
                            o.ends_at.astimezone(zone).time())
            for o in activity.occurrences]


def test_update_published_stays_published_and_bumps_sequence():
    activity = ActivityFactory(edition=open_edition(), sequence=4)
    organizer = UserFactory(organization=activity.organization)
    dates = _dates(activity)
    assert services.update_activity(activity=activity, actor=organizer,
                                     fields={"title": activity.title}, dates=dates) is False
    assert activity.sequence == 4
    assert services.update_activity(activity=activity, actor=organizer,
                                     fields={"title": "Nouveau titre"}, dates=dates)
    assert (activity.state, activity.sequence) == (ActivityState.PUBLISHED, 5)
    db.session.commit()  # each edit is its own request; SEQUENCE rises once per transaction
    later = [OccurrenceInput(dates[0].day, time(13, 0), time(14, 0))]
    services.update_activity(activity=activity, actor=organizer, fields={}, dates=later)
    db.session.commit()
    assert activity.sequence == 6
    assert activity.occurrences[0].starts_at.astimezone(_tz(activity)).time() == time(13, 0)
    entries = _audit("activity.updated")
    assert [sorted(e.details["changes"]) for e in entries] == [["title"], ["occurrences"]]
    assert entries[0].details["changes"]["title"][1] == "Nouveau titre"
    old, new = entries[1].details["changes"]["occurrences"]
    assert new[0].endswith("13:00–14:00") and old != new


def test_update_relocates_when_address_changes():
    activity = ActivityFactory(edition=open_edition())
    services.update_activity(activity=activity, actor=None, dates=_dates(activity),
                             fields={"municipality_code": "98005", "address": "1, rue du Quai"})
    db.session.commit()
    assert activity.region_code == "09"
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert activity.time_zone == "America/Blanc-Sablon"
    assert activity.occurrences[0].time_zone == "America/Blanc-Sablon"


def test_submit_with_unknown_place_is_kept_to_locate():
    edition = open_edition()
    user = UserFactory()
    day = edition.starts_on + timedelta(days=1)
    activity = services.submit_activity(
        organization=user.organization, edition=edition, created_by=user,
        fields={"title": "Jeu libre", "description": "Au parc.",
                "category": "evenement_communautaire", "audience": "familles",
                "format": "in_person", "address": "Parc central",
                "municipality_code": None},
        dates=[OccurrenceInput(day, time(9), time(11))], submission_token="abc")
    db.session.commit()
    assert activity.geocoding_status is GeocodingStatus.TO_LOCATE
    assert _mails()[0].to_address == user.email  # no contact e-mail: the creator's
    again = services.submit_activity(organization=user.organization, edition=edition,
                                     created_by=user, fields={}, dates=[],
                                     submission_token="abc")
    assert again.id == activity.id
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 1


def _past_activity(**kwargs):
    edition = EditionFactory(year=date.today().year - 1)
    return ActivityFactory(edition=edition, **kwargs)


def test_attendance_report_only_after_start_and_editable():
    upcoming = ActivityFactory(edition=open_edition())
    organizer = UserFactory(organization=upcoming.organization)
    if not attendance_open(upcoming):
        with pytest.raises(AttendanceTooEarly):
            report_attendance(activity=upcoming, actor=organizer, children=1,
                              adults=1, organizations_reached=0)
    past = _past_activity(organization=upcoming.organization)
    report_attendance(activity=past, actor=organizer, children=12, adults=9,
                      organizations_reached=2)
    report_attendance(activity=past, actor=organizer, children=14, adults=9,
                      organizations_reached=3, comments="Salle comble")
    db.session.commit()
    [report] = db.session.scalars(db.select(AttendanceReport)).all()
    assert (report.children, report.adults, report.organizations_reached) == (14, 9, 3)
    assert report.reported_by_id == organizer.id
    assert len(_audit("activity.attendance_reported")) == 2


def test_remind_attendance_command_sends_once(runner):
    due = _past_activity(contact_email="due@organisme.example")
    reported = _past_activity()
    db.session.add(AttendanceReport(activity_id=reported.id, children=3, adults=2))
    _past_activity(state=ActivityState.CANCELLED)
    _past_activity(state=ActivityState.SUBMITTED, published_at=None)
    ActivityFactory(edition=EditionFactory(year=date.today().year + 2))  # not over yet
    db.session.commit()
    result = runner.invoke(args=["gstp", "remind-attendance"])
    assert result.exit_code == 0, result.output
    assert "Rappels mis en file : 1" in result.output
    [mail] = _mails("activity.attendance_reminder")
    assert mail.to_address == "due@organisme.example"
    assert f"/mes-activites/{due.id}/participation" in mail.body_text
    assert [e.target_id for e in _audit(REMINDER_ACTION)] == [due.id]
    again = runner.invoke(args=["gstp", "remind-attendance"])
    assert "Rappels mis en file : 0" in again.output
    assert len(_mails("activity.attendance_reminder")) == 1


def test_time_zone_rule():
    assert time_zone_for("98005") == "America/Blanc-Sablon"  # Blanc-Sablon
    assert time_zone_for("98014") == "America/Blanc-Sablon"  # Gros-Mécatina
    assert time_zone_for("98025") == "America/Toronto"  # Natashquan, west bank
    assert time_zone_for("23027") == "America/Toronto"
    assert time_zone_for(None) == "America/Toronto"
    assert datetime(2026, 11, 17, 10, tzinfo=_tz(Activity(time_zone="America/Blanc-Sablon"))
                    ).utcoffset() == timedelta(hours=-4)


def test_new_address_that_cannot_be_placed_forgets_the_old_pin():
    activity = ActivityFactory(edition=open_edition())
    assert activity.latitude is not None
    services.update_activity(activity=activity, actor=None, dates=_dates(activity),
                             fields={"municipality_code": None, "address": "Rang 4",
                                     "postal_code": None})
    db.session.commit()
    assert activity.geocoding_status is GeocodingStatus.TO_LOCATE
    assert (activity.latitude, activity.longitude, activity.region_code) == (None, None, None)
