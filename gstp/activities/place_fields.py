"""The activity form's place fields read back: Canadian postal codes, municipality names."""
import re

from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.geo.reference import LAND_DESIGNATION_CODES, LOCAL_DESIGNATION_CODES

POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s*(\d[ABCEGHJ-NPRSTV-Z]\d)$")


def normalise_postal_code(value: str | None) -> str | None:
    """'g1k3b2' → 'G1K 3B2'; None when empty; ValueError when not Canadian."""
    value = (value or "").strip().upper()
    if not value:
        return None
    match = POSTAL_CODE.match(value)
    if not match:
        raise ValueError(value)
    return f"{match.group(1)} {match.group(2)}"


def municipality_label(municipality: Municipality) -> str:
    """What the datalist shows and what the field accepts back.

    A reserve says so: Lac-Simon and Natashquan are also municipalities.
    """
    if municipality.designation_code in LOCAL_DESIGNATION_CODES:
        return f"{municipality.name} ({municipality.code})"
    return f"{municipality.name}, {municipality.designation} ({municipality.code})"


def resolve_municipality(text: str | None) -> Municipality | None:
    """A municipality from "Name (code)", a bare code or an unambiguous name."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.search(r"\((\d{5})\)\s*$", text) or re.fullmatch(r"(\d{5})", text)
    if match:
        return db.session.get(Municipality, match.group(1))
    found = homonyms(text)
    return found[0] if len(found) == 1 else None


def homonyms(text: str) -> list[Municipality]:
    """Places that bear this exact name (two at most); a Cree or Inuit land is its village."""
    return list(db.session.scalars(db.select(Municipality).where(
        db.func.lower(Municipality.name) == text.strip().lower(),
        Municipality.designation_code.not_in(LAND_DESIGNATION_CODES)).limit(2)))
