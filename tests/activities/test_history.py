"""Attendance is history: a finished activity is not cancelled by its organizer, a report is
never dropped by a later state change, and a report on an unapproved activity is refused."""
from datetime import date
from html import unescape

import pytest

from gstp.activities.attendance import AttendanceNotApproved, report_attendance
from gstp.activities.models import ActivityState, AttendanceReport
from gstp.activities.moderation import ActivityFinished, set_state
from gstp.extensions import db
from gstp.stats.queries import activity_figures
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def past_week():
    """Last year's edition with two activities that took place and reported 40 + 25 children."""
    edition = EditionFactory(year=date.today().year - 1)
    held = ActivityFactory(edition=edition)
    other = ActivityFactory(edition=edition, organization=held.organization)
    organizer = UserFactory(organization=held.organization)
    for activity, children in ((held, 40), (other, 25)):
        report_attendance(activity=activity, actor=organizer, children=children,
                          adults=10, organizations_reached=1)
    db.session.commit()
    return {"edition": edition, "held": held, "other": other, "organizer": organizer}


def test_organizer_cannot_cancel_a_finished_activity(client, as_user, past_week):
    held = past_week["held"]
    as_user(past_week["organizer"])
    dashboard = _page(client.get("/mes-activites"))
    assert f'/mes-activites/{held.id}/annuler' not in dashboard
    response = client.post(f"/mes-activites/{held.id}/annuler", data={"reason": "Oups"},
                           follow_redirects=True)
    assert "Cette activité a eu lieu : elle ne peut plus être annulée." in _page(response)
    db.session.refresh(held)
    assert held.state is ActivityState.PUBLISHED
    with pytest.raises(ActivityFinished):
        set_state(activity=held, state=ActivityState.CANCELLED,
                  actor=past_week["organizer"], reason="Oups")


def test_staff_withdraw_a_finished_activity_with_a_reason_and_figures_keep_it(
        client, as_user, past_week):
    edition_id, other = past_week["edition"].id, past_week["other"]
    before = activity_figures([edition_id])["totals"]
    assert before["attendance_children"][edition_id] == 65
    as_user(StaffFactory())
    assert "Raison du retrait (obligatoire" in _page(
        client.get(f"/mes-activites/{other.id}/annuler"))
    refused = client.post(f"/mes-activites/{other.id}/annuler", data={"reason": " "})
    assert refused.status_code == 400
    assert "Indiquez la raison du retrait" in _page(refused)
    client.post(f"/mes-activites/{other.id}/annuler", data={"reason": "Doublon"})
    db.session.refresh(other)
    assert other.state is ActivityState.CANCELLED
    after = activity_figures([edition_id])["totals"]
    assert after["attendance_children"][edition_id] == 65
    assert after["attendance_reports"][edition_id] == 2
    assert after["activities"][edition_id] == 2
    assert after["activities_cancelled"].get(edition_id, 0) == 0
    assert after["organizations"][edition_id] == before["organizations"][edition_id] == 1


def test_cancelled_before_the_week_counts_as_cancelled(app):
    edition = EditionFactory(year=date.today().year - 1)
    ActivityFactory(edition=edition)
    ActivityFactory(edition=edition, state=ActivityState.CANCELLED)
    totals = activity_figures([edition.id])["totals"]
    assert (totals["activities"][edition.id], totals["activities_cancelled"][edition.id]) == (
        1, 1)


def test_a_report_on_an_activity_awaiting_approval_is_refused(client, as_user):
    edition = EditionFactory(year=date.today().year - 1)
    waiting = ActivityFactory(edition=edition, state=ActivityState.SUBMITTED,
                              published_at=None)
    as_user(UserFactory(organization=waiting.organization))
    assert f"/mes-activites/{waiting.id}/participation" not in _page(client.get("/mes-activites"))
    response = client.post(f"/mes-activites/{waiting.id}/participation",
                           data={"children": "12", "adults": "4", "organizations_reached": "1"},
                           follow_redirects=True)
    assert "Cette activité n'est pas publiée" in _page(response)
    assert "Merci !" not in _page(response)
    assert db.session.scalar(db.select(db.func.count(AttendanceReport.id))) == 0
    with pytest.raises(AttendanceNotApproved):
        report_attendance(activity=waiting, actor=None, children=1, adults=1,
                          organizations_reached=0)
