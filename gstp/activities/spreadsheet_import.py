"""The import of a spreadsheet: templates, the preview kept until confirmed, the submission."""
import csv
import io
import json
import secrets
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gstp.activities import services
from gstp.activities.duplicates import LIVE_STATES
from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS
from gstp.activities.models import Activity, Occurrence
from gstp.activities.placement.services import offline_place
from gstp.activities.spreadsheet import (
    COLUMNS,
    MAX_ROWS,
    Checker,
    Row,
    example_row,
    template_headers,
)
from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.mail.services import absolute_url, queue_mail
from gstp.organizations.services import fold_text
from gstp.organizations.similarity import similar_folded

TOKEN_BYTES = 16
KEEP_SECONDS = 24 * 3600  # a preview not confirmed within a day is forgotten


def template_xlsx(edition, *, english: bool) -> bytes:
    """The template: a sheet to fill (headers, one example row), a sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Activities" if english else "Activités"
    sheet.append(template_headers(english))
    sheet.append(example_row(edition.starts_on + timedelta(days=2)))
    _offer_choices(sheet)
    help_sheet = book.create_sheet("Explications" if not english else "Help")
    with force_locale("en" if english else "fr"):
        help_sheet.append(["Column", "Meaning"] if english else ["Colonne", "Explication"])
        for column in COLUMNS:
            help_sheet.append([column.english if english else column.french, str(column.help)])
        for title, labels in ((("Types d'activité", "Categories"), CATEGORY_LABELS),
                              (("Publics", "Audiences"), AUDIENCE_LABELS),
                              (("Formules", "Formats"), FORMAT_LABELS)):
            help_sheet.append([])
            help_sheet.append([title[1] if english else title[0]])
            for value, label in labels.items():
                help_sheet.append([str(value), str(label)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _offer_choices(sheet) -> None:
    """Drop-down lists on the choice columns (typing another accepted spelling still works)."""
    choices = {"category": CATEGORY_LABELS, "audience": AUDIENCE_LABELS,
               "format": {"en personne": 0, "virtuel": 0, "hybride": 0},
               "free": {"oui": 0, "non": 0}, "language": {"fr": 0, "en": 0, "autre": 0}}
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in choices:
            values = ",".join(str(value) for value in choices[column.key])
            validation = DataValidation(type="list", formula1=f'"{values}"',
                                        allow_blank=True, showErrorMessage=False)
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(validation)


def template_csv(edition, *, english: bool) -> bytes:
    """The CSV template: headers and the example row, UTF-8 with a BOM so Excel reads accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",")
    writer.writerow(template_headers(english))
    writer.writerow(example_row(edition.starts_on + timedelta(days=2)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _pending_dir() -> Path:
    configured = current_app.config.get("IMPORTS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_path(user_id: int, token: str) -> Path | None:
    if not token or not token.isalnum() or len(token) != TOKEN_BYTES * 2:
        return None
    return _pending_dir() / f"{int(user_id)}-{token}.json"


def keep_pending(*, user_id: int, filename: str, rows: list[dict[str, str]]) -> str:
    """Keep the rows read until the organization confirms; the token names them."""
    now = time.time()
    for old in _pending_dir().glob("*.json"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(TOKEN_BYTES)
    _pending_path(user_id, token).write_text(json.dumps({"filename": filename, "rows": rows}),
                                             encoding="utf-8")
    return token


def read_pending(*, user_id: int, token: str) -> dict | None:
    """The rows kept for this person under this token, None when gone or not theirs."""
    path = _pending_path(user_id, token)
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def forget_pending(*, user_id: int, token: str) -> None:
    path = _pending_path(user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)


def _live_by_day(edition_id: int, organization_id: int, municipality_codes: set[str]
                 ) -> dict[date, list[tuple[str, str, int, str | None]]]:
    """Live activities of the organization or the file's municipalities, by local day."""
    # (folded title, title, organization, municipality), read in one query for the file.
    same_place = [Activity.organization_id == organization_id]
    if municipality_codes:
        same_place.append(Activity.municipality_code.in_(municipality_codes))
    rows = db.session.execute(
        sa.select(Activity.title, Activity.organization_id, Activity.municipality_code,
                  Occurrence.starts_at, Occurrence.time_zone)
        .join(Occurrence, Occurrence.activity_id == Activity.id)
        .where(Activity.edition_id == edition_id, Activity.state.in_(LIVE_STATES),
               sa.or_(*same_place))).all()
    by_day: dict[date, set] = {}
    for title, org_id, municipality, starts_at, zone in rows:
        day = starts_at.astimezone(ZoneInfo(zone)).date()
        by_day.setdefault(day, set()).add((fold_text(title), title, org_id, municipality))
    return {day: sorted(found, key=lambda t: t[1]) for day, found in by_day.items()}


def check_rows(rows: list[dict[str, str]], *, edition, organization_id: int) -> list[Row]:
    """Every row checked, with its place and its likely duplicates (in the edition or the file)."""
    # Duplicates follow activities.duplicates (same organization or municipality, a shared
    # day, a similar title), read once for the whole file rather than once per row.
    checker = Checker(edition)
    checked = [checker.row(number, values)
               for number, values in enumerate(rows[:MAX_ROWS], start=2)]
    ready = [row for row in checked if row.valid]
    fields_of = {row.number: row.form.activity_fields() for row in ready}
    live = _live_by_day(edition.id, organization_id,
                        {f["municipality_code"] for f in fields_of.values()
                         if f["municipality_code"]})
    seen: dict[tuple, int] = {}
    for row in ready:
        fields, dates = fields_of[row.number], row.form.dates()
        row.place = offline_place(fields["address"], postal_code=fields["postal_code"],
                                  municipality_code=fields["municipality_code"])
        folded = fold_text(fields["title"])
        row.duplicates = [f"« {title} »" for day in sorted({d.day for d in dates})
                          for other, title, org_id, municipality in live.get(day, ())
                          if (org_id == organization_id
                              or (municipality and municipality == fields["municipality_code"]))
                          and similar_folded(folded, other)]
        key = (fields["title"].casefold(), dates[0].day, dates[0].starts)
        if key in seen:
            row.duplicates.append(_("ligne %(number)s du fichier", number=seen[key]))
        seen.setdefault(key, row.number)
    return checked


def submit_rows(*, rows: list[Row], organization, edition, actor, token: str,
                filename: str) -> list:
    """Submit every valid row for moderation; the same token twice creates nothing more."""
    created = []
    for row in rows:
        if not row.valid:
            continue
        created.append(services.submit_activity(
            organization=organization, edition=edition, created_by=actor,
            fields=row.form.activity_fields(), dates=row.form.dates(),
            submission_token=f"import-{token}-{row.number}", imported=True))
    record_audit(actor=actor, action="organization.activities_imported", target=organization,
                 details={"file": filename[:200], "activities": len(created),
                          "rows_with_errors": sum(1 for r in rows if not r.valid)})
    if created and getattr(actor, "email", None):
        with force_locale("fr"):
            queue_mail(to=actor.email,
                       subject=_("%(count)s activités reçues", count=len(created)),
                       template="activities_imported", kind="activity.imported",
                       activities=created, edition=edition,
                       link=absolute_url("activities.dashboard"))
    return created
