"""Letters pages through real HTTP requests: permissions, campaign flow, dashboard, export."""
import csv
import io
from datetime import timedelta

import pytest

from gstp.db import utcnow
from gstp.extensions import db
from gstp.letters.letter_figures import letter_totals
from gstp.letters.models import (
    Campaign,
    ElectedOfficial,
    Invitation,
    Letter,
    LetterChannel,
    LetterStatus,
    OfficialLevel,
)
from gstp.mail.models import OutboxMessage
from tests.factories import (
    ActivityFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)
from tests.letters.helpers import campaign, mayor, mna

STAFF_PAGES = ["/lettres/", "/lettres/elus", "/lettres/elus.csv", "/lettres/campagnes/nouvelle",
               "/lettres/export.csv"]


def test_staff_pages_need_staff(client, as_user):
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.location
    as_user(UserFactory())
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/lettres/campagnes/1/generer").status_code in (400, 403)


def test_directory_filters_and_edit(client, as_user):
    mayor("23027", "Marie-Josée Savard")
    mayor("05045", "Lucie Gagnon")
    official = mna("767", "Jean Député", party="PQ")
    as_user(StaffFactory())
    page = client.get("/lettres/elus?region=03").get_data(as_text=True)
    assert "Marie-Josée Savard" in page and "Lucie Gagnon" not in page
    page = client.get("/lettres/elus?level=provincial&party=PQ").get_data(as_text=True)
    assert "Jean Député" in page and "Marie-Josée Savard" not in page
    assert "Lucie" in client.get("/lettres/elus?q=gagnon").get_data(as_text=True)
    response = client.post(f"/lettres/elus/{official.id}", data={
        "full_name": "Jeanne Députée", "title": "Députée", "party": "PQ",
        "email": "pas-une-adresse", "active": "y"})
    assert response.status_code == 200 and "pas valide" in response.get_data(as_text=True)
    assert "Jeanne Députée" in response.get_data(as_text=True)  # the form keeps the input
    response = client.post(f"/lettres/elus/{official.id}", data={
        "full_name": "Jeanne Députée", "title": "Députée", "party": "PQ",
        "email": "jd@assnat.example", "verified": "y", "active": "y"})
    assert response.status_code == 302
    official = db.session.get(ElectedOfficial, official.id)
    assert official.full_name == "Jeanne Députée" and official.verified


def test_campaign_flow_through_the_pages(client, as_user):
    edition = EditionFactory(year=2026)
    mayor("23027", "Marie-Josée Savard")
    mayor("21025", "Pierre Renaud", civility="monsieur", email=None)
    mayor("05045", "Lucie Gagnon")
    activity = ActivityFactory(edition=edition, title="Heure du conte")
    as_user(StaffFactory())
    form = {"edition_id": edition.id, "title": "Lettres 2026", "subject": "À {{ territoire }}",
            "body_template": "{{ salutation }} {{ inconnu }}", "target_level": "municipal",
            "target_region_code": "03", "signatories": "Marie Tremblay ; Porte-parole ; Collectif"}
    response = client.post("/lettres/campagnes/nouvelle", data=form)
    assert response.status_code == 200 and "Le modèle contient une erreur" in response.get_data(
        as_text=True)
    assert db.session.scalar(db.select(db.func.count(Campaign.id))) == 0
    form["body_template"] = "{{ salutation }}\n{{ nb_activites }} activité(s)\n{{ signataires }}"
    response = client.post("/lettres/campagnes/nouvelle", data=form)
    assert response.status_code == 302
    created = db.session.scalar(db.select(Campaign))
    page = client.get(f"/lettres/campagnes/{created.id}").get_data(as_text=True)
    assert "2 élu·es visé·es" in page
    quebec = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == "23027"))
    preview = client.get(f"/lettres/campagnes/{created.id}/apercu?official={quebec.id}")
    text = preview.get_data(as_text=True)
    assert "À Québec" in text and "1 activité(s)" in text and "Marie Tremblay, Porte-parole" in text
    assert client.post(f"/lettres/campagnes/{created.id}/generer").status_code == 302
    confirm = client.post(f"/lettres/campagnes/{created.id}/envoyer", data={"channel": "email"})
    assert confirm.status_code == 200 and "Envoyer 1 courriel" in confirm.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0  # not yet
    client.post(f"/lettres/campagnes/{created.id}/envoyer", data={"channel": "email",
                                                                 "confirm": "1"})
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
    printed = client.get(f"/lettres/campagnes/{created.id}/imprimer").get_data(as_text=True)
    assert "Pierre Renaud" in printed and "Marie-Josée Savard" not in printed  # post only
    sheet = client.get("/static/css/letters-print.css").get_data(as_text=True)
    assert "css/letters-print.css" in printed and "<style" not in printed  # the CSP bans it
    assert "break-after: page" in sheet and "@media print" in sheet
    everything = client.get(f"/lettres/campagnes/{created.id}/imprimer?tous=1")
    assert everything.get_data(as_text=True).count('class="letter"') == 2
    letter = db.session.scalar(db.select(Letter).where(Letter.official_id == quebec.id))
    response = client.post(f"/lettres/lettre/{letter.id}", data={
        "status": "answered", "answer_text": "Avec plaisir", "notes": ""})
    assert response.status_code == 302
    assert db.session.get(Letter, letter.id).status is LetterStatus.ANSWERED
    # Back to draft is not offered, so the form refuses it and nothing changes.
    assert client.post(f"/lettres/lettre/{letter.id}", data={"status": "draft"}).status_code == 200
    assert db.session.get(Letter, letter.id).status is LetterStatus.ANSWERED
    assert activity.id  # the activity counted above belongs to Québec


def _letter(campaign_row, official, status, *, sent_days_ago=1):
    sent_at = utcnow() - timedelta(days=sent_days_ago)
    letter = Letter(campaign_id=campaign_row.id, official_id=official.id, subject="s", body="b",
                    channel=LetterChannel.EMAIL, status=status,
                    sent_at=None if status is LetterStatus.DRAFT else sent_at)
    db.session.add(letter)
    db.session.commit()
    return letter


@pytest.fixture
def sent_letters(app):
    """Hand-counted: municipal 3 sent / 2 answered, provincial 1 delivered / 1 answered and
    1 returned."""
    edition = EditionFactory(year=2026)
    first = campaign(edition)
    other_edition = campaign(EditionFactory(year=2025))
    quebec, beaupre, gaspe = (mayor("23027", "A Québec"), mayor("21025", "B Beaupré"),
                              mayor("05045", "C Bonaventure"))
    pq, plq = mna("767", "D PQ", party="PQ"), mna("769", "E PLQ", party="PLQ")
    extra = mayor("34030", "F Cap-Santé")
    _letter(first, quebec, LetterStatus.ANSWERED)
    _letter(first, beaupre, LetterStatus.MEETING)
    _letter(first, gaspe, LetterStatus.SENT, sent_days_ago=30)
    _letter(first, extra, LetterStatus.DRAFT)
    _letter(first, pq, LetterStatus.ATTENDED)
    _letter(first, plq, LetterStatus.BOUNCED)
    _letter(other_edition, quebec, LetterStatus.ANSWERED)
    return edition


def test_letter_totals_for_statistics(sent_letters):
    assert letter_totals(edition_id=sent_letters.id) == {
        "municipal": {"sent": 3, "answered": 2, "officials": 3, "officials_answered": 2,
                      "returned": 0},
        "provincial": {"sent": 1, "answered": 1, "officials": 1, "officials_answered": 1,
                       "returned": 1}}
    assert letter_totals(edition_id=sent_letters.id, region_code="11") == {
        "municipal": {"sent": 1, "answered": 0, "officials": 1, "officials_answered": 0,
                      "returned": 0}}
    assert letter_totals(edition_id=sent_letters.id + 1000) == {}


def test_dashboard_figures_follow_ups_and_export(client, as_user, sent_letters):
    as_user(StaffFactory())
    page = client.get(f"/lettres/?edition={sent_letters.id}&jours=14").get_data(as_text=True)
    assert "66,7 %" in page  # municipal: 2 answered of 3 sent
    # Provincial 1/1 = 100 % and PQ 1/1: PLQ's letter came back, it reached no one.
    assert "100 %" in page and "50 %" not in page
    follow_ups = page.split("Relances à faire")[1]
    assert "C Bonaventure" in follow_ups and "A Québec" not in follow_ups
    assert "C Bonaventure" not in client.get(
        f"/lettres/?edition={sent_letters.id}&jours=45").get_data(as_text=True).split(
        "Relances à faire")[1]
    response = client.get(f"/lettres/export.csv?edition={sent_letters.id}")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Campagne", "Niveau", "Élu·e"] and len(rows) == 7
    statuses = sorted(row[8] for row in rows[1:])
    # The words of the pages, not the stored codes.
    assert statuses == ["Brouillon", "Envoyée", "Présent·e à une activité", "Rencontre obtenue",
                        "Retournée (non distribuée)", "Réponse reçue"]
    assert {row[1] for row in rows[1:]} == {"Municipal", "Provincial"}
    assert {row[7] for row in rows[1:]} == {"Courriel"}
    assert rows[0][-1] == "Données vérifiées" and {row[-1] for row in rows[1:]} == {"non"}


def test_organizer_sees_only_their_territory_and_invites(client, as_user, app):
    edition = EditionFactory(year=2026)
    own_mayor = mayor("23027", "Maire Québec", email="maire@quebec.example")
    region_mna = mna("767", "Député Charlesbourg", email="dc@assnat.example")
    other_mayor = mayor("05045", "Mairesse Gaspésie")
    staff_campaign = campaign(edition)
    _letter(staff_campaign, own_mayor, LetterStatus.SENT)
    organization = OrganizationFactory(region_code="03", municipality_code="23027")
    activity = ActivityFactory(edition=edition, organization=organization, title="Fête familiale",
                               district_code="767")
    foreign = ActivityFactory(edition=edition, title="Pas à nous")
    as_user(UserFactory(organization=organization))
    page = client.get("/lettres/mon-territoire").get_data(as_text=True)
    assert "Maire Québec" in page and "Député Charlesbourg" in page
    assert "Mairesse Gaspésie" not in page and "Écrit le" in page
    assert "Pas à nous" not in page and "Fête familiale" in page
    data = {"official_id": region_mna.id, "activity_id": activity.id}
    assert client.post("/lettres/mon-territoire", data=data).status_code == 302
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.kind == "letter.invitation"))
    assert message.to_address == "dc@assnat.example" and "Fête familiale" in message.body_text
    assert f"/activites/{activity.id}" in message.body_text
    response = client.post("/lettres/mon-territoire", data=data, follow_redirects=True)
    assert "déjà invité" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 1
    outside = {"official_id": other_mayor.id, "activity_id": activity.id}
    assert client.post("/lettres/mon-territoire", data=outside).status_code == 403
    not_ours = {"official_id": region_mna.id, "activity_id": foreign.id}
    assert client.post("/lettres/mon-territoire", data=not_ours).status_code == 200  # refused
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1
    assert OfficialLevel.MUNICIPAL  # both levels are listed above


def test_dashboard_in_english(client, as_user):
    EditionFactory(year=2026)
    as_user(StaffFactory())
    page = client.get("/lettres/?lang=en").get_data(as_text=True)
    assert "Letters to elected officials" in page and "Follow-ups due" in page
