"""A letter keeps its paragraphs and line breaks in every page, e-mail and print."""
from datetime import date

from gstp.extensions import db
from gstp.letters.models import Letter, LetterLanguage
from gstp.letters.postal import address_block, letter_date
from gstp.letters.services import generate_letters, send_campaign
from gstp.mail.models import OutboxMessage
from gstp.security.sanitize import text_paragraphs
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor

BODY = "{{ salutation }}\n\nPremier paragraphe,\nsuite <b>sans balise</b>.\n\nSecond paragraphe."
EXPECTED_HTML = ("<p>Madame la Mairesse,</p>\n<p>Premier paragraphe,<br>\n"
                 "suite &lt;b&gt;sans balise&lt;/b&gt;.</p>\n<p>Second paragraphe.</p>")


def test_paragraphs_filter_escapes_and_splits():
    assert str(text_paragraphs("a\r\n\r\nb\nc\n \n\n")) == "<p>a</p>\n<p>b<br>\nc</p>"
    assert str(text_paragraphs("")) == ""


def test_paragraphs_in_preview_letter_print_and_email(client, as_user):
    edition = EditionFactory(year=2026)
    official = mayor("23027", "Marie-Josée Savard", email="mairesse@quebec.example")
    letters_campaign = campaign(edition, body=BODY)
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    as_user(staff)
    letter = db.session.scalar(db.select(Letter))
    pages = [f"/lettres/campagnes/{letters_campaign.id}/apercu?official={official.id}",
             f"/lettres/lettre/{letter.id}", f"/lettres/lettre/{letter.id}/imprimer"]
    for url in pages:
        assert EXPECTED_HTML in client.get(url).get_data(as_text=True), url
    send_campaign(campaign=letters_campaign, actor=staff, channel=letter.channel)
    db.session.commit()
    message = db.session.scalar(db.select(OutboxMessage))
    assert EXPECTED_HTML in message.body_html
    assert "Madame la Mairesse,\n\nPremier paragraphe,\nsuite <b>sans balise</b>.\n\n" \
           "Second paragraphe." in message.body_text


def test_canada_post_address_block_and_date(app):
    official = mayor("23027", "Marie-Josée Savard")
    official.postal_address = "Hôtel de ville\n2, rue des Jardins\nQuébec (Québec)  g1r4s9"
    assert address_block(official) == ["MADAME MARIE-JOSÉE SAVARD", "MAIRESSE", "HÔTEL DE VILLE",
                                       "2 RUE DES JARDINS", "QUÉBEC QC  G1R 4S9"]
    assert address_block(official, LetterLanguage.EN)[:2] == ["MS MARIE-JOSÉE SAVARD", "MAYOR"]
    assert letter_date(date(2026, 12, 1)) == "Le 1er décembre 2026"
    assert letter_date(date(2026, 11, 14)) == "Le 14 novembre 2026"
    assert letter_date(date(2026, 11, 14), LetterLanguage.EN) == "November 14, 2026"
