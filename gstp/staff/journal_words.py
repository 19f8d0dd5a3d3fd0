"""What journal entries carry besides before → after (counts, figures, files), in words."""
from datetime import date

from flask_babel import format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from gstp.extensions import db
from gstp.stats.models import MetricDefinition

NOTE_LABELS = {
    "key": _l("Indicateur"), "value": _l("Valeur"), "year": _l("Édition"),
    "region": _l("Région"), "breakdown": _l("Ventilation"), "fields": _l("Champs modifiés"),
    "file": _l("Fichier"), "definitions": _l("Indicateurs"), "values": _l("Valeurs"),
    "added": _l("Ajoutés"), "updated": _l("Mis à jour"), "unchanged": _l("Inchangés"),
    "protected": _l("Vérifiés conservés"), "conflicts": _l("Conflits"),
    "deactivated": _l("Désactivés"), "vacant": _l("Sièges vacants"),
    "outlet": _l("Média"), "date": _l("Date"), "title": _l("Titre"), "text": _l("Texte"),
    "signatories": _l("Signataires"), "children": _l("Enfants"), "adults": _l("Adultes"),
    "organizations_reached": _l("Organismes joints"), "created": _l("Lettres préparées"),
    "field": _l("Champ"), "kept": _l("Valeur gardée"), "channel": _l("Canal"),
    "activity_id": _l("Numéro de l'activité"), "answers": _l("Réponses"),
}
# Fields of officials and figures, named where the activity fields' labels stop.
MORE_FIELD_LABELS = {
    "civility": _l("Civilité"), "civility_guessed": _l("Civilité à vérifier"),
    "full_name": _l("Nom"), "party": _l("Parti"), "postal_address": _l("Adresse postale"),
    "office_address": _l("Adresse de circonscription"), "salutation": _l("Formule d'appel"),
    "verified": _l("Vérifié"), "source": _l("Source"), "active": _l("Actif"),
    "label_fr": _l("Libellé en français"), "label_en": _l("Libellé en anglais"),
    "unit": _l("Unité"), "kind": _l("Nature"), "sort_order": _l("Ordre"),
    "stands_for": _l("Remplace le chiffre calculé"), "qualifier": _l("Précision"),
    "note": _l("Note"),
}
VALUE_WORDS = {
    "kept": {"file": _l("celle du fichier"), "staff": _l("celle de l'équipe")},
    "channel": {"email": _l("courriel"), "post": _l("poste")},
}
COUNT_WORDS = {"created": _l("créés"), "updated": _l("mis à jour"),
               "unchanged": _l("inchangés")}


def figure_names(entries) -> dict[str, str]:
    """The name of each figure an entry points to by its key, in the reader's language."""
    keys = {entry.details.get("key") for entry in entries
            if entry.target_type in {"metric_definition", "metric_value"}}
    keys.discard(None)
    if not keys:
        return {}
    locale = str(get_locale())
    return {d.key: d.label(locale) for d in db.session.scalars(
        db.select(MetricDefinition).where(MetricDefinition.key.in_(keys)))}


def note_label(name: str, field_labels: dict) -> str:
    return str(NOTE_LABELS.get(name) or field_labels.get(name) or
               MORE_FIELD_LABELS.get(name) or name.replace("_", " "))


def note_value(name: str, value, *, figures: dict, show) -> str:
    """One detail in words; `show` words whatever is not particular to the journal."""
    if name == "key" and value in figures:
        return figures[value]
    if name == "value" and isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value)
    if name in VALUE_WORDS and value in VALUE_WORDS[name]:
        return str(VALUE_WORDS[name][value])
    if name == "fields" and isinstance(value, list):
        return ", ".join(note_label(v, {}) for v in value)
    if name in {"definitions", "values"} and isinstance(value, dict):
        return ", ".join(f"{str(COUNT_WORDS.get(k, k))} : {n}" for k, n in value.items())
    if name == "date" and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return show(name, value)
