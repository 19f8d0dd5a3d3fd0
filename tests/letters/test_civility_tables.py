"""Every seat × civility × language of the title and salutation tables, written out by hand.

The expected forms are typed here, not read from gstp.letters.civility: a wrong word in
one cell of the code's tables (« Madame le Député, ») fails exactly one row below.
"""
import itertools

import pytest

from gstp.letters.civility import salutation_for, title_for
from gstp.letters.models import (
    Civility,
    ElectedOfficial,
    LetterLanguage,
    OfficialLevel,
    OfficialRole,
)

NAME = "Camille Roy"
SEATS = {
    "mayor": (OfficialLevel.MUNICIPAL, OfficialRole.MAYOR),
    "councillor": (OfficialLevel.MUNICIPAL, OfficialRole.COUNCILLOR),
    "mna": (OfficialLevel.PROVINCIAL, OfficialRole.MEMBER),
    "mp": (OfficialLevel.FEDERAL, OfficialRole.MEMBER),
}
# Unknown civility: empty (as stored when the given name says nothing), None, or a value
# no longer known; each gives the neutral doublets.
UNKNOWN = ("", None, "mx")

# (seat, civility, language): (title, salutation)
EXPECTED = {
    ("mayor", "madame", "fr"): ("Mairesse", "Madame la Mairesse,"),
    ("mayor", "monsieur", "fr"): ("Maire", "Monsieur le Maire,"),
    ("mayor", "unknown", "fr"): ("Maire ou mairesse", "Madame, Monsieur,"),
    ("mayor", "madame", "en"): ("Mayor", "Dear Mayor Camille Roy,"),
    ("mayor", "monsieur", "en"): ("Mayor", "Dear Mayor Camille Roy,"),
    ("mayor", "unknown", "en"): ("Mayor", "Dear Mayor Camille Roy,"),
    ("councillor", "madame", "fr"): ("Conseillère municipale", "Madame la Conseillère,"),
    ("councillor", "monsieur", "fr"): ("Conseiller municipal", "Monsieur le Conseiller,"),
    ("councillor", "unknown", "fr"): ("Conseiller municipal ou conseillère municipale",
                                      "Madame, Monsieur,"),
    ("councillor", "madame", "en"): ("Councillor", "Dear Councillor Camille Roy,"),
    ("councillor", "monsieur", "en"): ("Councillor", "Dear Councillor Camille Roy,"),
    ("councillor", "unknown", "en"): ("Councillor", "Dear Councillor Camille Roy,"),
    ("mna", "madame", "fr"): ("Députée", "Madame la Députée,"),
    ("mna", "monsieur", "fr"): ("Député", "Monsieur le Député,"),
    ("mna", "unknown", "fr"): ("Député ou députée", "Madame, Monsieur,"),
    ("mna", "madame", "en"): ("MNA", "Dear Camille Roy, MNA,"),
    ("mna", "monsieur", "en"): ("MNA", "Dear Camille Roy, MNA,"),
    ("mna", "unknown", "en"): ("MNA", "Dear Camille Roy, MNA,"),
    ("mp", "madame", "fr"): ("Députée fédérale", "Madame la Députée,"),
    ("mp", "monsieur", "fr"): ("Député fédéral", "Monsieur le Député,"),
    ("mp", "unknown", "fr"): ("Député fédéral ou députée fédérale", "Madame, Monsieur,"),
    ("mp", "madame", "en"): ("MP", "Dear Camille Roy, MP,"),
    ("mp", "monsieur", "en"): ("MP", "Dear Camille Roy, MP,"),
    ("mp", "unknown", "en"): ("MP", "Dear Camille Roy, MP,"),
}
CASES = [(seat, civility, language)
         for seat, known, language in EXPECTED
         for civility in ((known,) if known != "unknown" else UNKNOWN)]


def _official(seat: str, civility: str | None) -> ElectedOfficial:
    level, role = SEATS[seat]
    # title and salutation as stored when staff wrote none (their column default).
    return ElectedOfficial(level=level, role=role, civility=civility, full_name=NAME,
                           seat_code="1", title="", salutation="")


def test_the_table_covers_every_seat_civility_and_language():
    seats = {(level, role) for level, role in SEATS.values()}
    assert seats == {(OfficialLevel.MUNICIPAL, OfficialRole.MAYOR),
                     (OfficialLevel.MUNICIPAL, OfficialRole.COUNCILLOR),
                     *((level, OfficialRole.MEMBER) for level in OfficialLevel
                       if level != OfficialLevel.MUNICIPAL)}
    civilities = [*(c.value for c in Civility), "unknown"]
    assert set(EXPECTED) == set(itertools.product(SEATS, civilities,
                                                  (lang.value for lang in LetterLanguage)))


@pytest.mark.parametrize(("seat", "civility", "language"), CASES)
def test_title_and_salutation(seat, civility, language):
    known = civility if civility in {c.value for c in Civility} else "unknown"
    title, salutation = EXPECTED[(seat, known, language)]
    official = _official(seat, civility)
    assert title_for(official, language) == title
    assert salutation_for(official, language) == salutation


@pytest.mark.parametrize("seat", SEATS)
def test_french_forms_never_use_abbreviated_inclusive_writing(seat):
    for civility in ("madame", "monsieur", *UNKNOWN):
        official = _official(seat, civility)
        for text in (title_for(official, "fr"), salutation_for(official, "fr")):
            assert "·" not in text and "(e)" not in text and "/" not in text
