"""Many activities from a spreadsheet: its columns, reading it, checking each row."""
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from gstp.activities.forms import ActivityForm
from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS, LANGUAGE_CHOICES
from gstp.activities.place_fields import municipality_label, resolve_municipality

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
MAX_COLUMNS = 40
# What an .xlsx (a zip) may unpack to: 500 rows of text are far below; a 2 MB bomb is not.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    """One column of the template: its French and English headers, the form field it fills."""

    key: str
    french: str
    english: str
    field: str
    help: object  # lazy_gettext


COLUMNS = (
    Column("title", "titre", "title", "title", _l("Titre de l'activité (obligatoire).")),
    Column("description", "description", "description", "description",
           _l("Quelques phrases sur l'activité (obligatoire).")),
    Column("category", "type", "category", "category",
           _l("Type d'activité : un des types de la liste ci-dessous.")),
    Column("audience", "public", "audience", "audience", _l("Public : un des publics ci-dessous.")),
    Column("format", "formule", "format", "format", _l("En personne, virtuel ou hybride.")),
    Column("language", "langue", "language", "language",
           _l("fr, en, fr,en (bilingue) ou autre ; fr si vide.")),
    Column("free", "gratuit", "free", "is_free", _l("oui ou non ; oui si vide.")),
    Column("price", "tarif", "price", "price_details",
           _l("Le tarif, obligatoire si l'activité n'est pas gratuite.")),
    Column("registration_url", "lien_inscription", "registration_url", "registration_url",
           _l("Adresse web d'inscription, commençant par https:// (facultatif).")),
    Column("virtual_url", "lien_virtuel", "virtual_url", "virtual_url",
           _l("Lien de l'activité virtuelle ou hybride (obligatoire pour celles-ci).")),
    Column("accessibility", "accessibilite", "accessibility", "accessibility_notes",
           _l("Accessibilité du lieu ou de l'activité (facultatif).")),
    Column("contact_email", "courriel_contact", "contact_email", "contact_email",
           _l("Courriel de contact (facultatif).")),
    Column("venue", "lieu", "venue", "venue_name", _l("Nom du lieu (facultatif).")),
    Column("address", "adresse", "address", "address",
           _l("Adresse (obligatoire en personne ou hybride).")),
    Column("postal_code", "code_postal", "postal_code", "postal_code",
           _l("Code postal, ex. G1K 3B2 (facultatif).")),
    Column("municipality", "municipalite", "municipality", "municipality",
           _l("Municipalité, ex. Québec (obligatoire en personne ou hybride).")),
    Column("date", "date", "date", "occurrences-0-day",
           _l("Date de l'activité pendant la semaine, ex. 16/11/2027.")),
    Column("starts", "debut", "start", "occurrences-0-starts",
           _l("Heure de début, ex. 10:00.")),
    Column("ends", "fin", "end", "occurrences-0-ends", _l("Heure de fin, ex. 11:30.")),
)
BY_FIELD = {c.field: c for c in COLUMNS}
EXAMPLE = {"title": "Heure du conte des tout-petits", "description":
           "Lecture d'albums et comptines pour les 0-5 ans et leurs parents.",
           "category": "eveil_lecture_ecriture", "audience": "familles", "format": "en personne",
           "language": "fr", "free": "oui", "price": "", "registration_url": "",
           "virtual_url": "", "accessibility": "Accès en fauteuil roulant.",
           "contact_email": "", "venue": "Bibliothèque Gabrielle-Roy",
           "address": "350, rue Saint-Joseph Est", "postal_code": "G1K 3B2",
           "municipality": "Québec", "starts": "10:00", "ends": "11:30"}
YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
NO = {"non", "n", "no", "faux", "false", "0"}


class SpreadsheetError(ValueError):
    """A file that cannot be read as the template (args[0]: the message in words)."""


def fold(text: str) -> str:
    """Lower case without accents, spaces or punctuation: how headers and choices compare."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9,]+", "", text.lower())


def _choices(labels: dict) -> dict[str, str]:
    """Every accepted spelling of a choice (code, French and English label) → its code."""
    accepted = {}
    for value, label in labels.items():
        accepted[fold(value)] = str(value)
        for locale in ("fr", "en"):
            with force_locale(locale):
                accepted[fold(str(label))] = str(value)
    return accepted


def template_headers(english: bool = False) -> list[str]:
    return [c.english if english else c.french for c in COLUMNS]


def example_row(week_day: date) -> list[str]:
    return [week_day.strftime("%d/%m/%Y") if c.key == "date" else EXAMPLE[c.key]
            for c in COLUMNS]


def _header_map(cells: list) -> dict[int, Column]:
    known = {fold(name): c for c in COLUMNS for name in (c.french, c.english, c.key)}
    mapping = {i: known[fold(cell)] for i, cell in enumerate(cells)
               if cell is not None and fold(cell) in known}
    if {c.key for c in mapping.values()} < {"title", "date"}:
        raise SpreadsheetError(_l("La première ligne doit contenir les en-têtes du modèle "
                                  "(titre, description, type, … date, debut, fin)."))
    return mapping


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(lines) -> list[dict[str, str]]:
    """{column key: text} per non-empty data row, after the header; at most MAX_ROWS."""
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        raise SpreadsheetError(_l("Le fichier est vide."))
    mapping = _header_map(list(header)[:MAX_COLUMNS])
    rows = []
    for line in lines:
        values = {c.key: _cell_text(v) for i, v in enumerate(list(line)[:MAX_COLUMNS])
                  if (c := mapping.get(i))}
        if not any(values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise SpreadsheetError(_l("Le fichier contient plus de %(max)s activités : "
                                      "découpez-le en plusieurs fichiers.", max=MAX_ROWS))
        rows.append(values)
    if not rows:
        raise SpreadsheetError(_l("Le fichier ne contient aucune activité sous les en-têtes."))
    return rows


def _refuse_bombs(data: bytes) -> None:
    """Refuse a workbook whose parts unpack past MAX_UNPACKED_BYTES, before parsing any.

    zipfile never inflates a part past the size its directory states (a lie is a CRC
    error), so the stated sizes bound what openpyxl can be handed.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: load_workbook says the file is unreadable
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_l("Ce fichier Excel est trop volumineux une fois décompressé : "
                                  "gardez seulement la feuille des activités, ou envoyez-le "
                                  "en CSV."))


def read_spreadsheet(filename: str, data: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded XLSX or CSV file; SpreadsheetError when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_l("Le fichier dépasse 2 Mo."))
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        _refuse_bombs(data)
        try:
            # read_only streams the sheet's rows, but a cell's text is read whole.
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise SpreadsheetError(_l("Ce fichier Excel est illisible : enregistrez-le de "
                                      "nouveau au format .xlsx.")) from None
        try:
            return _rows(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    if not name.endswith(".csv"):
        raise SpreadsheetError(_l("Envoyez un fichier .xlsx ou .csv fait à partir du modèle."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_l("Le fichier CSV doit être enregistré en UTF-8 (dans Excel : "
                                  "« CSV UTF-8 »).")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return _rows(csv.reader(io.StringIO(text), delimiter=delimiter))


@dataclass
class Row:
    """One checked row: what it would create, or its errors by column."""

    number: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    form: ActivityForm | None = None
    duplicates: list = field(default_factory=list)
    place: object = None

    @property
    def valid(self) -> bool:
        return not self.errors


def _day(text: str) -> str | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _hour(text: str) -> str | None:
    match = re.fullmatch(r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?(?::\d{2})?", text.strip().lower())
    if not match or int(match.group(1)) > 23:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2) or '00'}"


def _choice_spellings() -> dict[str, dict[str, str]]:
    return {"category": _choices(CATEGORY_LABELS), "audience": _choices(AUDIENCE_LABELS),
            "format": _choices(FORMAT_LABELS) | {"presentiel": "in_person"},
            "language": _choices(dict(LANGUAGE_CHOICES)) | {"bilingue": "fr,en"}}


class Checker:
    """Checks the rows of one file: choices spelled once, each municipality looked up once."""

    def __init__(self, edition):
        self.edition = edition
        self.choices = _choice_spellings()
        self.municipalities: dict[str, str] = {}

    def _municipality(self, text: str) -> str:
        """« Name (code) » for a name found, so the form reads it from the identity map."""
        if text not in self.municipalities:
            found = resolve_municipality(text)
            self.municipalities[text] = municipality_label(found) if found else text
        return self.municipalities[text]

    def _formdata(self, values: dict[str, str], errors: dict[str, list[str]]) -> MultiDict:
        """The row as the activity form's fields; cells it cannot parse get our words."""
        data = MultiDict()
        for column in COLUMNS:
            text = values.get(column.key, "")
            if column.key == "language" and not text:
                text = "fr"  # as on the form
            elif column.key in self.choices and text:
                if fold(text) not in self.choices[column.key]:
                    errors[column.key] = [str(_l(
                        "« %(value)s » n'est pas un choix possible : voyez les choix dans la "
                        "feuille « Explications » du modèle.", value=text))]
                text = self.choices[column.key].get(fold(text), text)
            elif column.key == "free":
                if fold(text) in NO:
                    continue  # an unticked box: the field is absent
                if text and fold(text) not in YES:
                    errors["free"] = [str(_l("Écrivez oui ou non."))]
                text = "y"
            elif column.key == "municipality" and text:
                text = self._municipality(text)
            elif column.key == "date" and text:
                text = _day(text.split(" ")[0]) or ""
                if not text:
                    errors["date"] = [str(_l("La date doit avoir la forme 16/11/2027."))]
            elif column.key in ("starts", "ends") and text:
                text = _hour(text) or ""
                if not text:
                    errors[column.key] = [str(_l("L'heure doit avoir la forme 10:00."))]
            data[column.field] = text
        return data

    def row(self, number: int, values: dict[str, str]) -> Row:
        """Check one row with the activity form (same rules, same words as on the page)."""
        row = Row(number, values)
        form = ActivityForm(formdata=self._formdata(values, row.errors), edition=self.edition,
                            meta={"csrf": False})
        form.validate()
        for name, bound in form._fields.items():
            if name == "occurrences":
                sub = bound.entries[0].form
                for part, key in (("day", "date"), ("starts", "starts"), ("ends", "ends")):
                    if key not in row.errors and sub[part].errors:
                        row.errors[key] = [str(e) for e in sub[part].errors]
            elif bound.errors and (column := BY_FIELD.get(name)) is not None:
                row.errors.setdefault(column.key, [str(e) for e in bound.errors])
        row.form = form
        return row
