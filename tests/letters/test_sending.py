"""Sending a campaign: confirmation with counts, unverified officials, the demo's mail guard."""
from flask import current_app

from gstp.extensions import db
from gstp.letters.models import Letter, LetterChannel, LetterStatus
from gstp.letters.services import generate_letters
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.worker import send_pending
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor


def _campaign_with_drafts():
    edition = EditionFactory(year=2026)
    mayor("23027", "Marie-Josée Savard", email="mairesse@demo.gstp.example").verified = True
    mayor("21025", "Pierre Renaud", civility="monsieur", email=None)  # post
    nowhere = mayor("05045", "Lucie Gagnon", email=None)
    nowhere.postal_address = ""  # neither e-mail nor postal address
    mayor("04047", "Marc Leblanc", civility="monsieur", email="greffier@capchat.ca")
    letters_campaign = campaign(edition)
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    return letters_campaign, staff


def _count(status=None, channel=None) -> int:
    query = db.select(db.func.count(Letter.id))
    if status:
        query = query.where(Letter.status == status)
    if channel:
        query = query.where(Letter.channel == channel)
    return db.session.scalar(query)


def test_sending_asks_confirmation_with_counts_and_unverified(client, as_user):
    letters_campaign, staff = _campaign_with_drafts()
    as_user(staff)
    url = f"/lettres/campagnes/{letters_campaign.id}/envoyer"
    page = client.get(f"{url}?channel=email").get_data(as_text=True)
    summary = page[page.index('id="send-summary"'):page.index("</table>")]
    assert [cell.split("<")[0] for cell in summary.split("<td>")[1:]] == ["2", "1", "1"]
    assert "3 élu·es aux données non vérifiées" in page
    assert "Marie-Josée Savard</a>" not in page  # verified
    assert "Pierre Renaud</a>" in page and "Envoyer 2 courriels" in page
    assert client.get(f"{url}?channel=fax").status_code == 400
    assert client.post(url, data={"channel": "email"}).status_code == 200  # not confirmed
    assert _count(LetterStatus.SENT) == 0
    client.post(url, data={"channel": "email", "confirm": "1"})
    assert _count(LetterStatus.SENT, LetterChannel.EMAIL) == 2
    assert "Marquer 1 lettre postale" in client.get(f"{url}?channel=post").get_data(as_text=True)
    client.post(url, data={"channel": "post", "confirm": "1"})
    assert _count(LetterStatus.SENT, LetterChannel.POST) == 1
    assert _count(LetterStatus.DRAFT) == 1  # the letter without any address


def test_demo_sends_mail_only_to_its_example_domain(client, as_user, smtp_server):
    letters_campaign, staff = _campaign_with_drafts()
    as_user(staff)
    client.post(f"/lettres/campagnes/{letters_campaign.id}/envoyer",
                data={"channel": "email", "confirm": "1"})
    current_app.config["GSTP_DEMO"] = True
    try:
        assert send_pending() == {"sent": 1, "retry": 0, "failed": 1}
    finally:
        current_app.config["GSTP_DEMO"] = False
    assert [to for _sender, to in smtp_server.envelopes] == [["mairesse@demo.gstp.example"]]
    held = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == "greffier@capchat.ca"))
    assert held.status is OutboxStatus.FAILED and "Démonstration" in held.last_error


def test_letter_preview_campaign_and_print_pages_say_data_is_unverified(client, as_user):
    letters_campaign, staff = _campaign_with_drafts()
    as_user(staff)
    guessed = db.session.scalar(db.select(Letter).join(Letter.official).where(
        Letter.official.has(full_name="Pierre Renaud")))
    guessed.official.civility_guessed = True
    verified = db.session.scalar(db.select(Letter).where(
        Letter.official.has(full_name="Marie-Josée Savard")))
    db.session.commit()
    for url in (f"/lettres/lettre/{guessed.id}", f"/lettres/lettre/{guessed.id}/imprimer",
                f"/lettres/campagnes/{letters_campaign.id}/apercu?official={guessed.official_id}"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="official-unverified"' in page, url
        assert "La civilité (Monsieur) est proposée d'après le prénom." in page, url
    assert 'id="official-unverified"' not in client.get(
        f"/lettres/lettre/{verified.id}").get_data(as_text=True)
    campaign_page = client.get(f"/lettres/campagnes/{letters_campaign.id}").get_data(as_text=True)
    assert "3 élu·es aux données non vérifiées" in campaign_page
