"""Deleting one's account: nothing that names the person stays, anywhere."""
from datetime import date

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.worker import send_pending
from gstp.organizations.models import User
from tests.conftest import login
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory
from tests.mail_fixtures import text_body
from tests.privacy.helpers import EMAIL, NAME, PASSWORD, person_with_history, text_values_holding


def test_deleted_account_leaves_no_e_mail_or_name_in_any_table(client, smtp_server):
    user = person_with_history(client, smtp_server)
    user_id, organization_id = user.id, user.organization_id
    assert text_values_holding(EMAIL, NAME)  # the scan does see them before

    page = client.get("/mon-compte/supprimer").get_data(as_text=True)
    assert 'name="password"' in page and 'name="withdraw_activities"' in page
    response = client.post("/mon-compte/supprimer", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/mon-compte").status_code == 302  # signed out

    # The confirmation waits in the outbox until delivered, then is blanked too.
    send_pending()
    [confirmation] = smtp_server.to(EMAIL)[1:]
    assert "est supprimé" in text_body(confirmation)
    assert text_values_holding(EMAIL, NAME) == []

    erased = db.session.get(User, user_id)
    assert erased.anonymised_at is not None and not erased.is_active_account
    [activity] = db.session.scalars(sa.select(Activity)).all()
    assert (activity.organization_id, activity.created_by_id) == (organization_id, user_id)
    assert activity.state is ActivityState.PUBLISHED  # stays with the organization
    assert activity.approved_public["contact_email"] is None  # as the activity now says
    assert activity.edited_since_approval_at is None
    assert db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "account.erased", AuditEntry.target_id == user_id)) is not None
    assert login(client, EMAIL, PASSWORD).status_code == 200  # the account is gone


def test_the_journal_shows_a_deleted_account_as_such(client, as_user, smtp_server):
    user = person_with_history(client, smtp_server)
    client.post("/mon-compte/supprimer", data={"password": PASSWORD})
    as_user(StaffFactory())
    html = client.get("/equipe/journal?target_type=activity").get_data(as_text=True)
    assert "compte supprimé" in html and NAME not in html and EMAIL not in html
    assert db.session.get(User, user.id).email.endswith("@anonyme.invalid")
    erased = client.get("/equipe/journal?target_type=user_account").get_data(as_text=True)
    assert "a effacé les renseignements personnels du compte" in erased
    assert "à la demande de la personne" in erased


def test_a_wrong_password_deletes_nothing(client, as_user):
    user = UserFactory(name=NAME)
    as_user(user)
    html = client.post("/mon-compte/supprimer", data={"password": "pas-le-bon-mdp"}
                       ).get_data(as_text=True)
    assert "Le mot de passe est incorrect." in html
    assert db.session.get(User, user.id).name == NAME
    assert db.session.scalar(sa.select(OutboxMessage)) is None


def test_the_only_member_may_withdraw_the_organizations_activities(client, as_user):
    user = UserFactory()
    upcoming = ActivityFactory(organization=user.organization, created_by_id=user.id,
                               edition=EditionFactory(year=date.today().year + 1))
    held = ActivityFactory(organization=user.organization, created_by_id=user.id,
                           edition=EditionFactory(year=date.today().year - 1))
    as_user(user)
    client.post("/mon-compte/supprimer", data={"password": "motdepasse-test-1",
                                               "withdraw_activities": "y"})
    assert db.session.get(Activity, upcoming.id).state is ActivityState.CANCELLED
    # One that took place is history (its attendance counts): it is not withdrawn.
    assert db.session.get(Activity, held.id).state is ActivityState.PUBLISHED


def test_activities_stay_when_a_colleague_remains(client, as_user):
    user = UserFactory()
    UserFactory(organization=user.organization)
    published = ActivityFactory(organization=user.organization)
    as_user(user)
    page = client.get("/mon-compte/supprimer").get_data(as_text=True)
    assert "withdraw_activities" not in page  # only the last member is offered it
    client.post("/mon-compte/supprimer", data={"password": "motdepasse-test-1",
                                               "withdraw_activities": "y"})
    assert db.session.get(User, user.id).anonymised_at is not None
    assert db.session.get(Activity, published.id).state is ActivityState.PUBLISHED


def test_the_last_staff_account_cannot_delete_itself(client, as_user):
    staff = StaffFactory()
    as_user(staff)
    page = client.get("/mon-compte/supprimer").get_data(as_text=True)
    assert "seul compte de l'équipe" in page and 'name="password"' not in page
    client.post("/mon-compte/supprimer", data={"password": "motdepasse-test-1"})
    assert db.session.get(User, staff.id).anonymised_at is None
    # With a second staff account, it may.
    StaffFactory()
    response = client.post("/mon-compte/supprimer", data={"password": "motdepasse-test-1"})
    assert response.status_code == 302
    assert db.session.get(User, staff.id).anonymised_at is not None


def test_deletion_needs_a_signed_in_person(client):
    assert client.get("/mon-compte/supprimer").status_code == 302
    assert client.post("/mon-compte/supprimer", data={"password": "x"}).status_code == 302
