"""Postal letters as one PDF per campaign: one letter a page, date, address, signatories."""
import io
import re

from pypdf import PdfReader

from gstp.extensions import db
from gstp.letters.services import generate_letters
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor

BODY = "{{ salutation }}\n\nPremier paragraphe.\n\nSecond paragraphe."


def test_campaign_pdf_one_letter_a_page(client, as_user):
    edition = EditionFactory(year=2026)
    beaupre = mayor("21025", "Pierre Renaud", civility="monsieur", email=None)
    beaupre.postal_address = "Hôtel de ville\n11, rue Saint-Jean\nBeaupré (Québec)  g0a1e0"
    mayor("05045", "Lucie Gagnon", email=None)
    mayor("23027", "Marie-Josée Savard")  # by e-mail: not in the postal letters
    letters_campaign = campaign(edition, body=BODY)
    staff = StaffFactory()
    generate_letters(campaign=letters_campaign, actor=staff)
    db.session.commit()
    as_user(staff)
    response = client.get(f"/lettres/campagnes/{letters_campaign.id}/lettres.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    pages = [page.extract_text() for page in reader.pages]
    first = next(text for text in pages if "PIERRE RENAUD" in text)
    for expected in ("MONSIEUR PIERRE RENAUD", "MAIRE", "11 RUE SAINT-JEAN",
                     "BEAUPRÉ QC  G0A 1E0", "Objet : La Grande semaine à Beaupré",
                     "Monsieur le Maire,", "Second paragraphe.", "Marie Tremblay"):
        assert expected in first, expected
    assert re.match(r"Le (1er|\d{1,2}) \w+ \d{4}\n", first)  # the letter's date first
    assert "Savard" not in "".join(pages)
    assert "Données non vérifiées" not in "".join(pages)  # staff notes stay off the paper
    everything = client.get(f"/lettres/campagnes/{letters_campaign.id}/lettres.pdf?tous=1")
    assert len(PdfReader(io.BytesIO(everything.data)).pages) == 3
