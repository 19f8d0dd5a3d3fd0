"""Invitations of returning organizations: once per person and campaign, reminder, who came back."""
from datetime import date, timedelta
from html import unescape

from gstp.activities.models import Activity, ActivityState
from gstp.activities.returning import EditionInvitation
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.stats import queries
from tests.activities.helpers import open_edition
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _mails(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)
                              .order_by(OutboxMessage.to_address)).all()


def _world():
    edition = open_edition()
    last = EditionFactory(year=edition.year - 1)
    older = EditionFactory(year=edition.year - 2)
    back, away, old_timer = (OrganizationFactory(name=n) for n in
                             ("Déjà de retour", "Pas encore revenu", "Venu il y a deux ans"))
    for organization in (back, away):
        ActivityFactory(organization=organization, edition=last)
    ActivityFactory(organization=old_timer, edition=older)
    ActivityFactory(organization=back, edition=edition, state=ActivityState.SUBMITTED)
    ActivityFactory(organization=OrganizationFactory(), edition=last,
                    state=ActivityState.REJECTED)  # refused last year: not a participant
    people = {"back": UserFactory(organization=back, email="a@back.example"),
              "away": UserFactory(organization=away, email="b@away.example"),
              "away_unverified": UserFactory(organization=away, email="c@away.example",
                                             email_verified_at=None),
              "old": UserFactory(organization=old_timer, email="d@old.example")}
    return edition, people


def test_invitations_go_once_to_verified_people_not_back_yet(client, as_user):
    edition, _people = _world()
    as_user(StaffFactory())
    url = f"/equipe/editions/{edition.id}/invitations"
    response = client.post(url, data={"last_editions": "1"}, follow_redirects=True)
    assert "1 courriel(s) mis dans la boîte d'envoi." in _page(response)
    invitation = _mails("edition.invitation")
    assert [m.to_address for m in invitation] == ["b@away.example"]
    assert "http://localhost/mes-activites#reconduire" in invitation[0].body_text
    assert "Pas encore revenu y a participé" in invitation[0].body_text

    client.post(url, data={"last_editions": "1"})  # again: nobody twice
    client.post(url, data={"last_editions": "2"})  # further back: the older one joins
    assert [m.to_address for m in _mails("edition.invitation")] == [
        "b@away.example", "d@old.example"]
    assert db.session.scalar(db.select(db.func.count(EditionInvitation.id))) == 2
    assert client.post(url, data={"last_editions": "9"}).status_code == 400
    assert client.post(url, data={"last_editions": "x"}).status_code == 400


def test_reminder_waits_for_the_last_week_and_skips_those_back(client, as_user):
    edition, people = _world()
    staff = StaffFactory()
    as_user(staff)
    url = f"/equipe/editions/{edition.id}/invitations"
    client.post(url, data={"last_editions": "2"})
    response = client.post(url, data={"campaign": "reminder"}, follow_redirects=True)
    assert "Le rappel part dans la dernière semaine" in _page(response)
    assert _mails("edition.reminder") == []

    edition.registration_closes_on = date.today() + timedelta(days=3)
    ActivityFactory(organization=people["old"].organization, edition=edition,
                    state=ActivityState.SUBMITTED)  # came back after the invitation
    for _click in range(2):
        client.post(url, data={"campaign": "reminder"})
    assert [m.to_address for m in _mails("edition.reminder")] == ["b@away.example"]

    page = _page(client.get(url))
    assert "1 organisme(s) de retour sur 2 invité(s)." in page
    assert page.index("Venu il y a deux ans") < page.index("Pas encore revenu")
    assert "b@away.example" in page and "d@old.example" in page


def test_a_returning_organization_counts_once_approved(client, as_user):
    edition, people = _world()
    copy = db.session.scalar(db.select(Activity).where(
        Activity.edition_id == edition.id))
    figures = queries.computed_figures([edition.id])["totals"]
    assert figures.get("organizations_returning", {}).get(edition.id, 0) == 0
    as_user(StaffFactory())
    assert client.post(f"/equipe/moderation/{copy.id}/approuver").status_code in (302, 303)
    figures = queries.computed_figures([edition.id])["totals"]
    assert figures["organizations_returning"][edition.id] == 1
    assert people["back"].organization_id == copy.organization_id


def test_organizers_cannot_send_invitations(client, as_user):
    edition, _people = _world()
    as_user(UserFactory())
    response = client.post(f"/equipe/editions/{edition.id}/invitations",
                           data={"last_editions": "1"})
    assert response.status_code == 403
    assert _mails("edition.invitation") == []


def test_the_daily_command_sends_the_reminder_once_in_the_last_week(runner):
    edition, _people = _world()
    from gstp.activities.returning import invite_returning

    invite_returning(edition=edition, actor=None, last_editions=2)
    db.session.commit()
    result = runner.invoke(args=["gstp", "remind-returning"])
    assert "Trop tôt" in result.output
    edition.registration_closes_on = date.today() + timedelta(days=6)
    db.session.commit()
    assert "Rappels mis en file : 2" in runner.invoke(args=["gstp", "remind-returning"]).output
    assert "Rappels mis en file : 0" in runner.invoke(args=["gstp", "remind-returning"]).output
    assert len(_mails("edition.reminder")) == 2


def test_no_invitation_for_a_draft_or_closed_registrations(client, as_user):
    edition, _people = _world()
    edition.published_at = None
    db.session.commit()
    as_user(StaffFactory())
    url = f"/equipe/editions/{edition.id}/invitations"
    response = client.post(url, data={"last_editions": "1"}, follow_redirects=True)
    assert "Les invitations partent une fois l'édition publiée" in _page(response)
    edition.published_at = edition.created_at
    edition.registration_closes_on = date.today() - timedelta(days=1)
    db.session.commit()
    response = client.post(url, data={"campaign": "reminder"}, follow_redirects=True)
    assert "Les invitations partent une fois l'édition publiée" in _page(response)
    assert _mails("edition.invitation") == _mails("edition.reminder") == []
