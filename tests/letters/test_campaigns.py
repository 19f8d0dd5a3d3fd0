"""Merge fields, targeting, letter generation, sending and status transitions."""
from datetime import timedelta

import pytest

from gstp.activities.models import ActivityState
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.letters import services
from gstp.letters.merge import MergeError, check_template, render_letter
from gstp.letters.models import Letter, LetterChannel, LetterStatus, TargetLevel
from gstp.letters.queries import target_count, targets_query
from gstp.mail.models import OutboxMessage
from tests.factories import ActivityFactory, EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor, mna


@pytest.fixture
def territory(app):
    """Québec (03) with two published activities, one rejected, one of another edition."""
    edition = EditionFactory(year=2026)
    quebec = mayor("23027", "Marie-Josée Savard", civility="madame")
    beaupre = mayor("21025", "Pierre Renaud", civility="monsieur", email=None)
    gaspesie = mayor("05045", "Lucie Gagnon", civility="madame")
    charlesbourg = mna("767", "Jean Député", party="PQ", email="jd@assnat.example")
    chauveau = mna("769", "Sol Députée", party="PLQ", civility="madame")
    first = ActivityFactory(edition=edition, title="Heure du conte", district_code="767")
    second = ActivityFactory(edition=edition, title="Atelier d'éveil", district_code="769")
    ActivityFactory(edition=edition, title="Refusée", state=ActivityState.REJECTED)
    ActivityFactory(edition=EditionFactory(year=2025), title="Édition passée")
    return {"edition": edition, "quebec": quebec, "beaupre": beaupre, "gaspesie": gaspesie,
            "charlesbourg": charlesbourg, "chauveau": chauveau, "activities": [first, second]}


def test_merge_fields_list_the_territory_activities(territory):
    letter_campaign = campaign(territory["edition"])
    subject, body = render_letter(letter_campaign, territory["quebec"])
    assert subject == "La Grande semaine à Québec"
    assert body.startswith("Madame la Mairesse,")
    assert "À Québec (Capitale-Nationale), 2 activité(s)" in body
    first, second = territory["activities"]
    assert "Heure du conte (" in body and f"/activites/{first.id}" in body
    assert f"/activites/{second.id}" in body
    day = territory["edition"].starts_on + timedelta(days=2)  # the factory's default date
    assert f"Heure du conte ({day.day} novembre {day.year}, 10 h 00, Québec)" in body
    assert "Refusée" not in body and "Édition passée" not in body
    assert "Marie Tremblay, Porte-parole, Collectif petite enfance" in body
    # An MNA gets the activities of their district only.
    _subject, body = render_letter(letter_campaign, territory["chauveau"])
    assert body.startswith("Madame la Députée,") and "1 activité(s)" in body
    assert "Atelier d'éveil" in body and "Heure du conte" not in body
    _subject, body = render_letter(letter_campaign, territory["beaupre"])
    assert body.startswith("Monsieur le Maire,") and "0 activité(s)" in body


def test_templates_render_in_a_sandbox(territory):
    check_template("{% for a in activites %}{{ a.titre }} {{ a.lien }}{% endfor %}")
    for bad in ("{{ inconnu }}", "{{ nom.__class__.__mro__ }}", "{% for %}",
                "{{ ''.__class__.__subclasses__() }}"):
        with pytest.raises(MergeError):
            check_template(bad)


def test_target_rules(territory):
    edition = territory["edition"]
    assert target_count(campaign(edition, target=TargetLevel.MUNICIPAL)) == 3
    assert target_count(campaign(edition, target=TargetLevel.PROVINCIAL)) == 2
    assert target_count(campaign(edition, target=TargetLevel.ALL)) == 5
    assert target_count(campaign(edition, target=TargetLevel.MUNICIPAL, region="03")) == 2
    with_activities = campaign(edition, target=TargetLevel.ALL, only_with_activities=True)
    names = {o.full_name for o in db.session.scalars(targets_query(with_activities))}
    assert names == {"Marie-Josée Savard", "Jean Député", "Sol Députée"}
    territory["gaspesie"].active = False
    db.session.commit()
    assert target_count(campaign(edition, target=TargetLevel.MUNICIPAL)) == 2


def test_generate_and_send_queue_one_email_per_letter(app, territory):
    # queue_mail renders templates, whose context processors need a request.
    with app.test_request_context():
        _generate_and_send(territory)


def _generate_and_send(territory):
    staff = StaffFactory()
    letter_campaign = campaign(territory["edition"], target=TargetLevel.MUNICIPAL)
    assert services.generate_letters(campaign=letter_campaign, actor=staff) == 3
    assert services.generate_letters(campaign=letter_campaign, actor=staff) == 0  # no duplicate
    letters = {row.official.full_name: row for row in db.session.scalars(db.select(Letter))}
    assert letters["Pierre Renaud"].channel is LetterChannel.POST  # no e-mail address
    assert letters["Marie-Josée Savard"].channel is LetterChannel.EMAIL
    # Generation (one query for all territories) renders what the preview renders.
    assert letters["Marie-Josée Savard"].body == render_letter(letter_campaign,
                                                               territory["quebec"])[1]
    assert "2 activité(s)" in letters["Marie-Josée Savard"].body
    # The text is frozen: editing the campaign later does not change generated letters.
    letter_campaign.body_template = "Autre texte"
    db.session.flush()
    assert services.send_campaign(campaign=letter_campaign, actor=staff,
                                  channel=LetterChannel.EMAIL) == 2
    db.session.commit()
    messages = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == 2 and {m.kind for m in messages} == {"letter.campaign"}
    savard = letters["Marie-Josée Savard"]
    message = db.session.get(OutboxMessage, savard.outbox_message_id)
    assert message.to_address == "mairie@ville.example"
    assert message.subject == "La Grande semaine à Québec"
    assert "Madame la Mairesse," in message.body_text and "Autre texte" not in message.body_text
    assert "Madame la Mairesse," in message.body_html
    assert savard.status is LetterStatus.SENT and savard.sent_at is not None
    assert letters["Pierre Renaud"].status is LetterStatus.DRAFT
    services.send_campaign(campaign=letter_campaign, actor=staff, channel=LetterChannel.POST)
    assert letters["Pierre Renaud"].status is LetterStatus.SENT
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2


def test_status_transitions_and_audit(territory):
    staff = StaffFactory()
    letter_campaign = campaign(territory["edition"], target=TargetLevel.PROVINCIAL)
    services.generate_letters(campaign=letter_campaign, actor=staff)
    letter = db.session.scalar(db.select(Letter).join(Letter.official).where(
        Letter.official_id == territory["chauveau"].id))
    with pytest.raises(services.IllegalTransition):
        services.change_status(letter=letter, status=LetterStatus.ANSWERED, actor=staff)
    with pytest.raises(services.IllegalTransition):  # no e-mail address for this MNA
        services.send_by_email(letter=letter, actor=staff)
    services.mark_sent_by_post(letter=letter, actor=staff)
    services.change_status(letter=letter, status=LetterStatus.BOUNCED, actor=staff)
    services.change_status(letter=letter, status=LetterStatus.SENT, actor=staff)
    services.change_status(letter=letter, status=LetterStatus.ANSWERED, actor=staff,
                           answer_text="Merci, je serai là.", notes="Appel le 10")
    services.change_status(letter=letter, status=LetterStatus.MEETING, actor=staff)
    services.change_status(letter=letter, status=LetterStatus.ATTENDED, actor=staff)
    assert letter.answered_at and letter.meeting_at and letter.attended_at and letter.bounced_at
    assert letter.answer_text == "Merci, je serai là." and letter.notes == "Appel le 10"
    for illegal in (LetterStatus.DRAFT, LetterStatus.SENT, LetterStatus.ANSWERED):
        with pytest.raises(services.IllegalTransition):
            services.change_status(letter=letter, status=illegal, actor=staff)
    actions = db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.target_type == "letter").order_by(AuditEntry.id)).all()
    assert actions == ["letter.sent", "letter.bounced", "letter.sent", "letter.answered",
                       "letter.meeting", "letter.attended"]
