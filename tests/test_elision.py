"""French elision in generated sentences: « d'Alain », « d'Alma », « de Québec »."""
from html import unescape

import pytest

from gstp.extensions import db
from gstp.i18n import elides, of_name
from tests.factories import EditionFactory, StaffFactory
from tests.letters.helpers import campaign, mayor


@pytest.mark.parametrize(("name", "expected"), [
    ("Alain Laprade", "d'Alain Laprade"), ("Alma", "d'Alma"), ("Îles-de-la-Madeleine",
                                                                 "d'Îles-de-la-Madeleine"),
    ("Yves Roy", "d'Yves Roy"), ("Québec", "de Québec"), ("Hull", "de Hull"),
    ("Émilie Côté", "d'Émilie Côté"), ("", "de "),
])
def test_de_is_elided_before_a_vowel(name, expected):
    assert of_name(name) == expected
    assert elides(name) == expected.startswith("d'")


def _preview(client, name: str, code: str) -> str:
    official = mayor(code, name)
    official.verified = False
    db.session.commit()
    letters = campaign(EditionFactory(year=2026))
    return client.get(f"/lettres/campagnes/{letters.id}/apercu?official={official.id}"
                      ).get_data(as_text=True)


def test_an_unverified_record_says_d_alain(client, as_user):
    as_user(StaffFactory())
    page = unescape(_preview(client, "Alain Laprade", "23027"))
    assert "la fiche d'Alain Laprade vient d'un fichier" in page
    assert "de Alain" not in page
    page = unescape(_preview(client, "Bruno Marchand", "21025"))
    assert "la fiche de Bruno Marchand vient d'un fichier" in page
