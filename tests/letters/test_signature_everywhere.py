"""One rule for every channel: a letter ends with its signatories unless its text places them."""
import io

import pytest
from pypdf import PdfReader

from gstp.extensions import db
from gstp.letters.models import Letter, LetterChannel
from gstp.letters.services import generate_letters
from gstp.mail.models import OutboxMessage
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor

SIGNATURE = "Marie Tremblay, Porte-parole, Collectif petite enfance"
UNSIGNED = "{{ salutation }}\n\nPremier paragraphe.\n\nSecond paragraphe."
SIGNED = UNSIGNED + "\n\nAvec nos salutations,\n{{ signataires }}\n\nPost-scriptum."


def _letters(body):
    edition = EditionFactory(year=2026)
    mayor("23027", "Marie-Josée Savard", email="mairesse@ville.example")
    mayor("21025", "Pierre Renaud", civility="monsieur", email=None)  # by post
    letters_campaign = campaign(edition, body=body)
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    return letters_campaign, staff


@pytest.mark.parametrize("body", [UNSIGNED, SIGNED], ids=["unsigned-text", "signed-text"])
def test_every_channel_is_signed_once(client, as_user, body):
    letters_campaign, staff = _letters(body)
    as_user(staff)
    preview = client.get(f"/lettres/campagnes/{letters_campaign.id}/apercu").get_data(
        as_text=True)
    assert preview.count(SIGNATURE) == 1

    client.post(f"/lettres/campagnes/{letters_campaign.id}/envoyer",
                data={"channel": "email", "confirm": "1"})
    message = db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == "mairesse@ville.example"))
    assert message.body_text.count(SIGNATURE) == 1
    assert message.body_html.count(SIGNATURE) == 1
    if body == UNSIGNED:
        assert message.body_text.rstrip().endswith(SIGNATURE)

    postal = db.session.scalar(db.select(Letter).where(Letter.channel == LetterChannel.POST))
    printed = client.get(f"/lettres/campagnes/{letters_campaign.id}/imprimer").get_data(
        as_text=True)
    assert printed.count("Marie Tremblay") == 1
    single = client.get(f"/lettres/lettre/{postal.id}/imprimer").get_data(as_text=True)
    assert single.count("Marie Tremblay") == 1
    pdf = client.get(f"/lettres/campagnes/{letters_campaign.id}/lettres.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert text.count("Marie Tremblay") == 1


def test_a_letter_frozen_unsigned_before_still_prints_its_signatories(client, as_user):
    letters_campaign, staff = _letters(UNSIGNED)
    postal = db.session.scalar(db.select(Letter).where(Letter.channel == LetterChannel.POST))
    postal.body = postal.body.replace("\n\n" + SIGNATURE, "")  # as generated before
    db.session.commit()
    as_user(staff)
    single = client.get(f"/lettres/lettre/{postal.id}/imprimer").get_data(as_text=True)
    assert single.count("Marie Tremblay") == 1
