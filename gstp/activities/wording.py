"""Fields and values in words, for people reading a change (journal, reviews, e-mails)."""
import re
from datetime import date, time

from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l

from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS
from gstp.activities.models import ActivityState
from gstp.extensions import db
from gstp.geo.models import District, Mrc, Municipality, Region
from gstp.organizations.models import ORGANIZATION_TYPE_LABELS

FIELD_LABELS = {
    "title": _l("Titre"), "description": _l("Description"), "category": _l("Type d'activité"),
    "audience": _l("Public"), "format": _l("Formule"), "language": _l("Langue"),
    "is_free": _l("Activité gratuite"), "price_details": _l("Tarif"),
    "registration_url": _l("Lien d'inscription"),
    "virtual_url": _l("Lien de l'activité virtuelle"),
    "accessibility_notes": _l("Accessibilité"), "contact_email": _l("Courriel de contact"),
    "venue_name": _l("Nom du lieu"), "address": _l("Adresse"), "postal_code": _l("Code postal"),
    "municipality_code": _l("Municipalité"), "region_code": _l("Région"),
    "mrc_code": _l("MRC"), "district_code": _l("Circonscription"),
    "latitude": _l("Latitude"), "longitude": _l("Longitude"),
    "occurrences": _l("Dates"), "state": _l("État"), "name": _l("Nom"),
    "type": _l("Type d'organisme"), "website": _l("Site web"), "email": _l("Courriel"),
    "phone": _l("Téléphone"), "languages": _l("Langues"), "reason": _l("Motif"),
    "failed_logins": _l("Échecs de connexion dans l'heure"),
    # The yearly cycle: editions, reconducted copies, imports, invitations, merges.
    "year": _l("Année"), "number": _l("Numéro de l'édition"),
    "starts_on": _l("Premier jour de la semaine"), "ends_on": _l("Dernier jour de la semaine"),
    "theme": _l("Thème (français)"), "theme_en": _l("Thème (anglais)"),
    "registration_opens_on": _l("Ouverture des inscriptions"),
    "registration_closes_on": _l("Fermeture des inscriptions"),
    "reconducted_from": _l("Reconduite de l'activité"), "dates_to_set": _l("Dates à préciser"),
    "imported": _l("Importée d'un fichier"), "file": _l("Fichier"),
    "activities": _l("Activités"), "rows_with_errors": _l("Lignes en erreur"),
    "people": _l("Personnes"), "members": _l("Personnes"), "invitations": _l("Invitations"),
    "merged": _l("Organisme fusionné"), "merged_id": _l("Numéro de l'organisme fusionné"),
}
STATE_WORDS = {
    ActivityState.SUBMITTED: _l("En attente d'approbation"),
    ActivityState.PUBLISHED: _l("Publiée"),
    ActivityState.REJECTED: _l("Refusée"),
    ActivityState.CANCELLED: _l("Annulée"),
}
# Enum values shown by their label, per field.
VALUE_LABELS = {"category": CATEGORY_LABELS, "audience": AUDIENCE_LABELS,
                "format": FORMAT_LABELS, "state": STATE_WORDS, "type": ORGANIZATION_TYPE_LABELS}
EMPTY = "—"
LONG_TEXT = 300


# Each kind of place code by the field holding it: region « 10 » is not MRC « 10 ».
PLACE_MODELS = {"municipality_code": Municipality, "region_code": Region, "region": Region,
                "mrc_code": Mrc, "district_code": District}
# « 2026-05-12 09:30–11:00 », as activities.occurrences.dates_text stores a date.
DATE_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})–(\d{2}):(\d{2})$")


def place_names(codes: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names of places by (field, code), e.g. ("mrc_code", "23") → « Québec »."""
    names = {}
    for field in {name for name, _code in codes}:
        model = PLACE_MODELS[field]
        wanted = {code for name, code in codes if name == field}
        names |= {(field, row.code): row.name for row in db.session.scalars(
            db.select(model).where(model.code.in_(wanted)))}
    return names


def date_words(text: str) -> str:
    """« 2026-05-12 09:30–11:00 » as pages say it: « mardi 12 mai 2026, 09:30 – 11:00 »."""
    match = DATE_TEXT.match(text)
    if match is None:
        return text
    year, month, day, start_h, start_m, end_h, end_m = map(int, match.groups())
    try:
        day_text = format_date(date(year, month, day), "full")
        start, end = time(start_h, start_m), time(end_h, end_m)
    except ValueError:
        return text
    hour = lambda t: format_time(t, "short", rebase=False)  # noqa: E731
    return f"{day_text}, {hour(start)} – {hour(end)}"


def show_value(name: str, value, places: dict | None = None) -> str:
    """A stored value in words: labels for choices, names for places, « — » for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(_l("Oui") if value else _l("Non"))
    if isinstance(value, list):
        separator = " ; " if name == "occurrences" else ", "
        return separator.join(show_value(name, v, places) for v in value)
    labels = VALUE_LABELS.get(name, {})
    text = str(labels.get(value, value)) if labels else str(value)
    if name == "occurrences" and isinstance(value, str):
        text = date_words(value)
    if places and (name, value) in places:
        text = f"{places[(name, value)]} ({value})"
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def place_codes(changes: dict) -> set[tuple[str, str]]:
    """(field, code) of the place codes in {field: [before, after]}."""
    return {(name, v) for name, pair in changes.items() if name in PLACE_MODELS
            for v in pair if isinstance(v, str) and v.isdigit()}


def described_changes(changes: dict, places: dict | None = None) -> list[tuple[str, str, str]]:
    """(label, before, after) for {field: [before, after]}, places named."""
    places = place_names(place_codes(changes)) if places is None else places
    return [(str(FIELD_LABELS.get(name, name)), show_value(name, before, places),
             show_value(name, after, places)) for name, (before, after) in changes.items()]
