"""Fields and values in words, for people reading a change (journal, reviews, e-mails)."""
from flask_babel import lazy_gettext as _l

from gstp.activities.forms import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS
from gstp.activities.models import ActivityState
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
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


def place_names(codes: set[str]) -> dict[str, str]:
    """Municipality and region names by code."""
    names = {}
    if codes:
        for model in (Municipality, Region):
            names |= {row.code: row.name for row in db.session.scalars(
                db.select(model).where(model.code.in_(codes)))}
    return names


def show_value(name: str, value, places: dict[str, str] | None = None) -> str:
    """A stored value in words: labels for choices, names for places, « — » for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(_l("Oui") if value else _l("Non"))
    if isinstance(value, list):
        return ", ".join(show_value(name, v, places) for v in value)
    labels = VALUE_LABELS.get(name, {})
    text = str(labels.get(value, value)) if labels else str(value)
    if name.endswith("_code") and places and value in places:
        text = f"{places[value]} ({value})"
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def place_codes(changes: dict) -> set[str]:
    """The values of {field: [before, after]} that may be place codes."""
    return {v for pair in changes.values() for v in pair if isinstance(v, str) and v.isdigit()}


def described_changes(changes: dict, places: dict | None = None) -> list[tuple[str, str, str]]:
    """(label, before, after) for {field: [before, after]}, places named."""
    places = place_names(place_codes(changes)) if places is None else places
    return [(str(FIELD_LABELS.get(name, name)), show_value(name, before, places),
             show_value(name, after, places)) for name, (before, after) in changes.items()]
