"""Normalising place names and splitting Québec postal addresses."""
import re
import unicodedata
from dataclasses import dataclass

POSTAL_CODE = re.compile(r"\b([ABCEGHJ-NPRSTVXY])\s*(\d)\s*([A-Z])[\s-]*(\d)\s*([A-Z])\s*(\d)\b",
                         re.IGNORECASE)
FSA_ONLY = re.compile(r"^\s*([ABCEGHJ-NPRSTVXY]\d[A-Z])\s*$", re.IGNORECASE)
# Abbreviations people write for the saints of Québec toponymy.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes",
                 "mt": "mont", "n": "nord", "e": "est", "o": "ouest"}
# "Ville de Gatineau", "Municipalité de Lac-Beauport", "Paroisse de …": not part of the name.
DESIGNATION_PREFIX = re.compile(
    r"^(ville|municipalite|paroisse|canton|cantons unis|village|cite|town|city|village nordique"
    r"|municipality|village cri|village naskapi)( de la| de l| du| des| de| d| of)?\s+")
STREET_WORDS = frozenset({
    "rue", "boulevard", "boul", "blvd", "bd", "avenue", "av", "ave", "chemin", "ch", "rang",
    "route", "rte", "place", "pl", "montee", "cote", "croissant", "allee", "impasse", "terrasse",
    "promenade", "autoroute", "street", "st", "road", "rd", "drive", "dr", "carre", "square",
    "sentier", "parc", "ruelle", "rg", "voie", "quai", "traverse", "concession", "circle",
})
PROVINCE_WORDS = frozenset({"quebec", "qc", "que", "pq", "province de quebec", "canada"})


def strip_accents(text: str) -> str:
    """The text without its diacritics (« Éveil » → « Eveil »); other characters kept."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents, apostrophes and hyphens as spaces, single spaces."""
    text = strip_accents(text).lower()
    text = re.sub(r"[’‘`´'\-–—_./]", " ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


def name_key(text: str) -> str:
    """The comparison key of a place name: folded, abbreviations expanded, no designation."""
    words = [ABBREVIATIONS.get(w, w) for w in fold(text).split()]
    return DESIGNATION_PREFIX.sub("", " ".join(words))


def article_free(key: str) -> str | None:
    """"les iles de la madeleine" → "iles de la madeleine" (a variant people write)."""
    for article in ("les ", "la ", "le ", "l "):
        if key.startswith(article) and len(key) > len(article) + 2:
            return key[len(article):]
    return None


def normalise_postal_code(text: str | None) -> str | None:
    """"g1k 3b2" → "G1K3B2"; None when the text holds no postal code."""
    match = POSTAL_CODE.search(text or "")
    return "".join(match.groups()).upper() if match else None


@dataclass(frozen=True)
class ParsedAddress:
    """What the offline geocoder can use in a free-text address."""

    postal_code: str | None
    fsa: str | None
    segments: tuple[str, ...]  # folded parts, last (most general) first


def parse_address(text: str) -> ParsedAddress:
    """Pull the postal code out, drop the province, split into comma segments."""
    text = text or ""
    postal_code = normalise_postal_code(text)
    fsa = postal_code[:3] if postal_code else None
    if postal_code is None and (only := FSA_ONLY.match(text)):
        fsa = only.group(1).upper()
        text = ""
    text = POSTAL_CODE.sub(" ", text)
    # "(Québec)" after the city is the province, by Canada Post convention.
    text = re.sub(r"\(\s*(qu[eé]bec|qc)\s*\)", " ", text, flags=re.IGNORECASE)
    parts = [fold(part) for part in re.split(r"[,;\n()]", text)]
    parts = [p for p in parts if p]
    tail = []
    while len(parts) > 1 and parts[-1] in PROVINCE_WORDS:
        tail.append(parts.pop())
    # "…, Québec" may be the city: tried last, after every other part.
    return ParsedAddress(postal_code, fsa, tuple(reversed(parts)) + tuple(tail))


def candidate_names(segment: str):
    """Word runs of a folded segment that may name a municipality, rightmost first.

    A run right after a street word ("rue Saint-Joseph") is a street, not a town.
    """
    words = segment.split()
    for end in range(len(words), 0, -1):
        for start in range(0, end):
            if start > 0 and words[start - 1] in STREET_WORDS:
                continue
            if words[start].isdigit():
                continue
            yield " ".join(words[start:end])
