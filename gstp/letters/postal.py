"""Postal letters: the address block as Canada Post formats it, the letter date."""
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from gstp.letters.civility import title_for
from gstp.letters.merge import places_signatories, signatories_block
from gstp.letters.models import Civility, ElectedOfficial, LetterLanguage

# « Québec (Québec)  G1A 1A3 » or « Gaspé (QC) G4X2A9 »: municipality, province, postal code.
_LAST_LINE = re.compile(r"^(?P<town>.+?)\s*\((?:Québec|Quebec|QC)\)\s*"
                        r"(?P<code>[A-Z]\d[A-Z]\s*\d[A-Z]\d)?\s*$", re.IGNORECASE)
# Civic number followed by a comma (« 2, rue des Jardins »): Canada Post drops the comma.
_CIVIC_COMMA = re.compile(r"^(\d+[A-Z]?)\s*,\s*", re.IGNORECASE)
LETTER_ZONE = ZoneInfo("America/Toronto")
NAME_PREFIX = {Civility.MADAME: {"fr": "Madame", "en": "Ms."},
               Civility.MONSIEUR: {"fr": "Monsieur", "en": "Mr."}}


def _address_line(line: str) -> str:
    match = _LAST_LINE.match(line)
    if match:
        code = (match["code"] or "").replace(" ", "").upper()
        code = f"{code[:3]} {code[3:]}" if code else ""
        line = f"{match['town']} QC  {code}".rstrip()
    else:
        line = _CIVIC_COMMA.sub(r"\1 ", line)
    # Capitals, no punctuation but hyphens, apostrophes and accents (Canada Post guidelines).
    return " ".join(re.sub(r"[.,;]", " ", line).split()).upper().replace(" QC ", " QC  ")


def address_block(official: ElectedOfficial, language: str = LetterLanguage.FR) -> list[str]:
    """Recipient lines: civility and name, title, then the postal address, in capitals."""
    prefix = NAME_PREFIX.get(official.civility, {}).get(str(language), "")
    lines = [f"{prefix} {official.full_name}".strip(), title_for(official, language)]
    lines += [line.strip() for line in official.postal_address.splitlines() if line.strip()]
    return [_address_line(line) for line in lines]


def letter_date(day: date | datetime, language: str = LetterLanguage.FR) -> str:
    """« Le 1er décembre 2026 » style date of the letter, in the campaign's language."""
    if isinstance(day, datetime):
        day = day.astimezone(LETTER_ZONE).date()
    if language == LetterLanguage.EN:
        return format_date(day, "MMMM d, y", locale="en_CA")
    text = format_date(day, "d MMMM y", locale="fr_CA")
    return f"Le {'1er' + text[1:] if text.startswith('1 ') else text}"


SUBJECT_LABEL = {LetterLanguage.FR: "Objet : ", LetterLanguage.EN: "Subject: "}


def signs_in_body(letter) -> bool:
    """The letter's text already holds the signatories block (no second one below it).

    Letters are signed in their text since every channel shares it; one frozen before
    that, from a text that did not place the block, still gets it below.
    """
    return places_signatories(letter.campaign.body_template) or \
        letter.body.rstrip().endswith(signatories_block(letter.campaign))
