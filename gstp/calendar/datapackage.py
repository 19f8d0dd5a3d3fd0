"""The open data's Frictionless Data Package: what each CSV column holds, its type and codes."""
from flask_babel import gettext as _

from gstp.activities.models import ActivityState
from gstp.calendar.feeds import public_url
from gstp.calendar.opendata import CSV_HEADER, LICENCE, LICENCE_URL

# Codes are text with their pattern: read as numbers, « 02 » would lose its zero.
_CODES = {"code_municipalite": r"^[0-9]{5}$", "region": r"^[0-9]{2}$",
          "mrc": r"^[0-9]{2,3}$"}
_TYPES = {"id": "integer", "gratuit": "boolean", "debut": "datetime", "fin": "datetime",
          "mis_a_jour": "datetime", "latitude": "number", "longitude": "number",
          "url": "string", "inscription": "string", "lien_virtuel": "string", "image": "string"}
_URI = {"url", "inscription", "lien_virtuel", "image"}
_REQUIRED = {"id", "titre", "statut", "organisme", "categorie", "public", "format", "gratuit",
             "debut", "fin", "fuseau", "url", "mis_a_jour"}


def _descriptions() -> dict[str, str]:
    return {
        "id": _("Numéro de l'activité ; une ligne par date, donc répété pour plusieurs dates."),
        "statut": _("published (publiée) ou cancelled (annulée, gardée pour les calendriers)."),
        "gratuit": _("oui si l'activité est gratuite, sinon non."),
        "debut": _("Début de la date, en UTC (ISO 8601)."),
        "fin": _("Fin de la date, en UTC (ISO 8601)."),
        "fuseau": _("Fuseau horaire où l'heure est affichée (IANA)."),
        "code_municipalite": _("Code géographique de la municipalité (MAMH), 5 chiffres."),
        "region": _("Code de la région administrative, 2 chiffres (01 à 17)."),
        "mrc": _("Code de la MRC ou du territoire équivalent."),
        "mis_a_jour": _("Dernière modification de l'activité, en UTC (ISO 8601)."),
    }


def _field(name: str, descriptions: dict[str, str]) -> dict:
    field = {"name": name, "type": _TYPES.get(name, "string")}
    if name in _URI:
        field["format"] = "uri"
    if name in descriptions:
        field["description"] = descriptions[name]
    constraints = {}
    if name in _REQUIRED:
        constraints["required"] = True
    if name in _CODES:
        constraints["pattern"] = _CODES[name]
    if name == "statut":
        constraints["enum"] = [ActivityState.PUBLISHED.value, ActivityState.CANCELLED.value]
    if name in {"latitude", "longitude"}:
        constraints |= ({"minimum": -90, "maximum": 90} if name == "latitude"
                        else {"minimum": -180, "maximum": 180})
    if name == "gratuit":
        field |= {"trueValues": ["oui"], "falseValues": ["non"]}
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor() -> dict:
    """Data Package (Frictionless v1 profile) of the CSV file, with its Table Schema."""
    descriptions = _descriptions()
    return {
        "profile": "tabular-data-package",
        "name": "gstp-activites",
        "title": _("Activités de la Grande semaine des tout-petits"),
        "homepage": public_url("calendar.open_data"),
        "licenses": [{"name": "CC-BY-4.0", "title": LICENCE, "path": LICENCE_URL}],
        "sources": [{"title": _("Grande semaine des tout-petits, Collectif petite enfance"),
                     "path": public_url("calendar.open_data")}],
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "activites",
            "path": public_url("calendar.data_csv", all="1"),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": {"fields": [_field(name, descriptions) for name in CSV_HEADER],
                       "missingValues": [""]},
        }],
    }
