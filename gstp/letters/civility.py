"""Titles and salutations from an official's civility and seat, in French and English.

An unknown civility gives the neutral form of each language: full doublets in French
(« Maire ou mairesse », « Madame, Monsieur, »), never an abbreviated inclusive form.
"""
import csv
from functools import cache
from pathlib import Path

from gstp.geo.text import strip_accents
from gstp.letters.models import (
    Civility,
    ElectedOfficial,
    LetterLanguage,
    OfficialLevel,
    OfficialRole,
)

GIVEN_NAMES_FILE = Path(__file__).parent / "data" / "given_names.csv"
SHARED_GIVEN_NAMES_FILE = Path(__file__).parent / "data" / "shared_given_names.txt"
NEUTRAL = ""
NEUTRAL_SALUTATION_FR = "Madame, Monsieur,"

# Seats: the level, except that a municipal councillor is not addressed as a mayor.
COUNCILLOR = OfficialRole.COUNCILLOR
FRENCH_TITLES = {
    COUNCILLOR: {Civility.MADAME: "Conseillère municipale",
                 Civility.MONSIEUR: "Conseiller municipal",
                 NEUTRAL: "Conseiller municipal ou conseillère municipale"},
    OfficialLevel.MUNICIPAL: {Civility.MADAME: "Mairesse", Civility.MONSIEUR: "Maire",
                              NEUTRAL: "Maire ou mairesse"},
    OfficialLevel.PROVINCIAL: {Civility.MADAME: "Députée", Civility.MONSIEUR: "Député",
                               NEUTRAL: "Député ou députée"},
    OfficialLevel.FEDERAL: {Civility.MADAME: "Députée fédérale",
                            Civility.MONSIEUR: "Député fédéral",
                            NEUTRAL: "Député fédéral ou députée fédérale"},
}
FRENCH_SALUTATIONS = {
    COUNCILLOR: {Civility.MADAME: "Madame la Conseillère,",
                 Civility.MONSIEUR: "Monsieur le Conseiller,"},
    OfficialLevel.MUNICIPAL: {Civility.MADAME: "Madame la Mairesse,",
                              Civility.MONSIEUR: "Monsieur le Maire,"},
    OfficialLevel.PROVINCIAL: {Civility.MADAME: "Madame la Députée,",
                               Civility.MONSIEUR: "Monsieur le Député,"},
    OfficialLevel.FEDERAL: {Civility.MADAME: "Madame la Députée,",
                            Civility.MONSIEUR: "Monsieur le Député,"},
}
ENGLISH_TITLES = {COUNCILLOR: "Councillor", OfficialLevel.MUNICIPAL: "Mayor",
                  OfficialLevel.PROVINCIAL: "MNA", OfficialLevel.FEDERAL: "MP"}


def _seat(official: ElectedOfficial):
    return COUNCILLOR if official.role == OfficialRole.COUNCILLOR else official.level


def _civility(official: ElectedOfficial) -> str:
    return official.civility if official.civility in set(Civility) else NEUTRAL


def title_for(official: ElectedOfficial, language: str = LetterLanguage.FR) -> str:
    """The official's title: staff's own title in French, else from civility and seat."""
    if language == LetterLanguage.EN:
        return ENGLISH_TITLES[_seat(official)]
    return official.title or FRENCH_TITLES[_seat(official)][_civility(official)]


def salutation_for(official: ElectedOfficial, language: str = LetterLanguage.FR) -> str:
    """« Madame la Mairesse, », « Dear Mayor Jane Doe, », « Dear Jane Doe, MNA, »…"""
    seat = _seat(official)
    if language == LetterLanguage.EN:
        if official.level is OfficialLevel.MUNICIPAL:  # « Dear Mayor », « Dear Councillor »
            return f"Dear {ENGLISH_TITLES[seat]} {official.full_name},"
        return f"Dear {official.full_name}, {ENGLISH_TITLES[seat]},"
    if official.salutation:
        return official.salutation
    return FRENCH_SALUTATIONS[seat].get(_civility(official), NEUTRAL_SALUTATION_FR)


def _plain(name: str) -> str:
    return strip_accents(name).lower()


@cache
def _given_names() -> dict[str, str]:
    with GIVEN_NAMES_FILE.open(encoding="utf-8") as handle:
        names = {row["given_name"]: row["civility"] for row in csv.DictReader(handle)}
    # A name women and men share says nothing: staff set the civility, neutral until then.
    with SHARED_GIVEN_NAMES_FILE.open(encoding="utf-8") as handle:
        shared = {line.strip() for line in handle if line.strip() and not line.startswith("#")}
    return {name: civility for name, civility in names.items() if name not in shared}


def propose_civility(full_name: str) -> str:
    """The civility the first given name suggests (Jean-François → monsieur), or ""."""
    first = full_name.strip().split(" ")[0].split("-")[0] if full_name.strip() else ""
    return _given_names().get(_plain(first), NEUTRAL)
