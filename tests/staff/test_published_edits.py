"""Edits to published activities: listed for staff, accepted or put back, organizer told."""
from datetime import date, time
from html import unescape

from gstp.activities import services
from gstp.activities.models import ActivityState, Category
from gstp.activities.moderation import set_state
from gstp.activities.occurrences import OccurrenceInput, dates_text
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory, StaffFactory, UserFactory


def _page(response) -> str:
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _published():
    """An activity staff approved through the moderation rules, so its snapshot is taken."""
    activity = ActivityFactory(edition=open_edition(), state=ActivityState.SUBMITTED,
                               published_at=None, title="Heure du conte",
                               category=Category.EARLY_LITERACY, is_free=True)
    set_state(activity=activity, state=ActivityState.PUBLISHED, actor=StaffFactory())
    db.session.commit()
    return activity


def _edit(activity, **fields):
    organizer = UserFactory(organization=activity.organization)
    dates = [OccurrenceInput(date.fromisoformat(t[:10]), time.fromisoformat(t[11:16]),
                             time.fromisoformat(t[-5:]))
             for t in dates_text(activity)]
    services.update_activity(activity=activity, actor=organizer, fields=fields,
                             dates=fields.pop("dates", None) or dates)
    db.session.commit()


def _mails(kind):
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_edit_is_listed_with_before_and_after_and_accepted(client, as_user):
    activity = _published()
    _edit(activity, title="Heure du conte au parc", is_free=False, price_details="5 $",
          category=Category.CULTURE)
    assert activity.edited_since_approval_at is not None
    staff_member = StaffFactory()
    as_user(staff_member)
    html = _page(client.get("/equipe/modifications"))
    assert "modifiée depuis l'approbation" in html
    assert ('<th scope="row">Titre</th><td><del>Heure du conte</del></td>'
            '<td><ins>Heure du conte au parc</ins></td>') in html
    assert "<del>Éveil à la lecture et à l'écriture</del></td><td><ins>Accès à la culture</ins>" \
        in html
    assert "<del>Oui</del></td><td><ins>Non</ins>" in html
    assert 'href="/equipe/modifications"' in _page(client.get("/equipe"))

    sequence = activity.sequence
    response = client.post(f"/equipe/modifications/{activity.id}/accepter")
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.sequence == sequence  # accepting changes nothing a calendar shows
    assert activity.edited_since_approval_at is None
    assert activity.approved_public["title"] == "Heure du conte au parc"
    assert activity.state is ActivityState.PUBLISHED
    [mail] = _mails("activity.edit_accepted")
    assert "Titre : Heure du conte → Heure du conte au parc" in mail.body_text
    assert "Modifications acceptées" in mail.subject
    [entry] = db.session.scalars(db.select(AuditEntry)
                                 .where(AuditEntry.action == "activity.edit_accepted")).all()
    assert entry.details["changes"]["title"] == ["Heure du conte", "Heure du conte au parc"]
    html = _page(client.get("/equipe/modifications"))
    assert "Aucune activité publiée n'a été modifiée depuis son approbation." in html
    journal = _page(client.get("/equipe/journal?action=activity.edit_accepted"))
    assert "a accepté les modifications de l'activité" in journal
    # Accepting twice changes nothing and says so.
    client.post(f"/equipe/modifications/{activity.id}/accepter")
    assert len(_mails("activity.edit_accepted")) == 1


def test_revert_puts_back_fields_and_dates_and_tells_the_organizer(client, as_user):
    activity = _published()
    approved_dates = dates_text(activity)
    sequence = activity.sequence
    _edit(activity, title="Titre changé",
          dates=[OccurrenceInput(date(2026, 5, 14), time(13, 0), time(14, 0))])
    assert dates_text(activity) == ["2026-05-14 13:00–14:00"]
    as_user(StaffFactory())
    html = _page(client.get("/equipe/modifications"))
    assert "<ins>jeudi 14 mai 2026, 13:00 – 14:00</ins>" in html  # as other pages say it
    assert client.post(f"/equipe/modifications/{activity.id}/annuler").status_code == 302
    db.session.refresh(activity)
    assert (activity.title, dates_text(activity)) == ("Heure du conte", approved_dates)
    assert activity.edited_since_approval_at is None and activity.sequence > sequence + 1
    [mail] = _mails("activity.edit_reverted")
    assert "Titre : Titre changé (remis à : Heure du conte)" in mail.body_text
    assert f"/mes-activites/{activity.id}/modifier" in mail.body_text
    [entry] = db.session.scalars(db.select(AuditEntry)
                                 .where(AuditEntry.action == "activity.edit_reverted")).all()
    assert entry.details["changes"]["title"] == ["Titre changé", "Heure du conte"]


def test_edit_undone_by_the_organizer_leaves_nothing_to_review(app):
    activity = _published()
    _edit(activity, title="Autre titre")
    assert activity.edited_since_approval_at is not None
    _edit(activity, title="Heure du conte")
    assert activity.edited_since_approval_at is None


def test_activity_published_before_snapshots_gets_one_at_its_first_edit(app):
    activity = ActivityFactory(edition=open_edition(), title="Ancienne")
    assert activity.approved_public is None
    _edit(activity, title="Nouvelle")
    assert activity.approved_public["title"] == "Ancienne"
    assert activity.edited_since_approval_at is not None


def test_only_staff_review_and_csrf_is_required(app, client, as_user, monkeypatch):
    activity = _published()
    _edit(activity, title="Autre titre")
    as_user(UserFactory(organization=activity.organization))
    assert client.get("/equipe/modifications").status_code == 403
    assert client.post(f"/equipe/modifications/{activity.id}/accepter").status_code == 403
    client.post("/deconnexion")
    as_user(StaffFactory())
    assert client.get("/equipe/modifications").status_code == 200
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/equipe/modifications/{activity.id}/accepter").status_code == 400
    db.session.refresh(activity)
    assert activity.edited_since_approval_at is not None
    assert client.post("/equipe/modifications/999999/annuler",
                       data={"csrf_token": "x"}).status_code in (400, 404)
