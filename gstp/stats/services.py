"""Changes to entered figures: definitions, values and the CSV import. Callers commit."""
import csv
import re
from collections.abc import Iterable
from pathlib import Path

from gstp.audit.services import record_audit
from gstp.editions.models import Edition
from gstp.editions.services import ensure_editions
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.stats.computed_metrics import COMPUTED_KEYS
from gstp.stats.models import MetricDefinition, MetricKind, MetricValue, Qualifier

BUILTIN_METRICS = Path(__file__).resolve().parent / "data" / "historical_metrics.csv"
# Columns of a metrics CSV; a row without year and value only declares the definition.
CSV_COLUMNS = ("key", "label_fr", "label_en", "unit", "kind", "sort_order", "description",
               "stands_for", "year", "value", "qualifier", "region_code", "breakdown", "source",
               "note")
DEFINITION_FIELDS = ("label_fr", "label_en", "unit", "kind", "sort_order", "description",
                     "stands_for")
VALUE_FIELDS = ("value", "qualifier", "note", "source")


class MetricImportError(ValueError):
    """A metrics CSV that cannot be imported; nothing of it is kept."""


def _apply(obj, values: dict) -> list[str]:
    """Set the attributes that differ; returns their names."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def save_definition(*, key: str, actor=None, **fields) -> tuple[MetricDefinition, str]:
    """Create or update the definition of `key`; returns it and created/updated/unchanged."""
    definition = db.session.scalar(db.select(MetricDefinition).filter_by(key=key))
    if definition is None:
        definition = MetricDefinition(key=key, **fields)
        db.session.add(definition)
        db.session.flush()
        record_audit(actor=actor, action="metric_definition.create", target=definition,
                     details={"key": key})
        return definition, "created"
    changed = _apply(definition, fields)
    if not changed:
        return definition, "unchanged"
    db.session.flush()
    record_audit(actor=actor, action="metric_definition.update", target=definition,
                 details={"key": key, "fields": changed})
    return definition, "updated"


def save_value(*, edition: Edition, definition: MetricDefinition, value: float,
               region_code: str | None = None, breakdown: str = "",
               qualifier: Qualifier | None = None, note: str | None = None,
               source: str | None = None, actor=None) -> tuple[MetricValue, str]:
    """Create or update the value of one figure for one edition, region and breakdown.

    qualifier, note and source left to None keep what an existing value has.
    """
    region_clause = (MetricValue.region_code == region_code if region_code
                     else MetricValue.region_code.is_(None))
    row = db.session.scalar(db.select(MetricValue).where(
        MetricValue.edition_id == edition.id, MetricValue.definition_id == definition.id,
        region_clause, MetricValue.breakdown == breakdown))
    given = {"qualifier": qualifier, "note": note, "source": source}
    fields = {"value": value, **{k: v for k, v in given.items() if v is not None}}
    entered_by = getattr(actor, "id", None)
    if row is None:
        fields = {"qualifier": Qualifier.EXACT, "note": "", "source": "", **fields}
        row = MetricValue(edition=edition, definition=definition, region_code=region_code or None,
                          breakdown=breakdown, entered_by_id=entered_by, **fields)
        db.session.add(row)
        db.session.flush()
        status = "created"
    else:
        changed = _apply(row, fields)
        if not changed:
            return row, "unchanged"
        row.entered_by_id = entered_by or row.entered_by_id
        db.session.flush()
        status = "updated"
    action = {"created": "metric_value.create", "updated": "metric_value.update"}[status]
    record_audit(actor=actor, action=action,
                 target=row, details={"key": definition.key, "year": edition.year,
                                      "value": value, "region": region_code,
                                      "breakdown": breakdown})
    return row, status


def delete_value(*, value: MetricValue, actor) -> None:
    """Remove an entered value (a typo, a figure entered twice)."""
    record_audit(actor=actor, action="metric_value.delete", target=value,
                 details={"key": value.definition.key, "value": value.value})
    db.session.delete(value)
    db.session.flush()


def _plain(value: float) -> str:
    """85000000.0 as "85000000", 24.9 as "24.9"."""
    return str(int(value)) if value == int(value) else str(value)


def _number(text: str, line: int) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise MetricImportError(f"ligne {line} : valeur « {text} » non numérique") from None


def parse_metrics_csv(path: Path) -> list[dict]:
    """Rows of a metrics CSV, checked; raises MetricImportError with the line at fault."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"key", "year", "value"} - set(reader.fieldnames or ())
        if missing:
            raise MetricImportError("colonnes manquantes : " + ", ".join(sorted(missing)))
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = {col: (raw.get(col) or "").strip() for col in CSV_COLUMNS}
            if not row["key"]:
                raise MetricImportError(f"ligne {line} : clé vide")
            for column, enum in (("kind", MetricKind), ("qualifier", Qualifier)):
                if row[column] and row[column] not in {m.value for m in enum}:
                    raise MetricImportError(f"ligne {line} : {column} « {row[column]} » inconnu")
            if row["stands_for"] and row["stands_for"] not in COMPUTED_KEYS:
                raise MetricImportError(
                    f"ligne {line} : chiffre calculé « {row['stands_for']} » inconnu")
            if bool(row["year"]) != bool(row["value"]):
                raise MetricImportError(f"ligne {line} : année et valeur vont ensemble")
            row["line"] = line
            row["columns"] = set(reader.fieldnames)
            row["value"] = _number(row["value"], line) if row["value"] else None
            # ASCII digits only: str.isdigit() accepts « ² », which int() then refuses.
            if row["year"] and not _plausible_year(row["year"]):
                raise MetricImportError(f"ligne {line} : année « {row['year']} » invalide")
            if row["sort_order"] and not re.fullmatch(r"-?[0-9]{1,6}", row["sort_order"]):
                raise MetricImportError(f"ligne {line} : ordre « {row['sort_order']} » invalide")
            rows.append(row)
    return rows


def _plausible_year(text: str) -> bool:
    """A year the week could have been held in, written in ASCII digits."""
    return bool(re.fullmatch(r"[0-9]{4}", text)) and 2000 <= int(text) <= 2100


def _definition_fields(row: dict, existing: MetricDefinition | None) -> dict:
    """Fields given on the row; empty cells keep what the definition already has."""
    fields = {}
    for name in DEFINITION_FIELDS:
        if row[name]:
            fields[name] = {"kind": MetricKind, "sort_order": int}.get(name, str)(row[name])
        elif existing is None:
            fields[name] = {"kind": MetricKind.NUMBER, "sort_order": 100}.get(name, "")
    if existing is None and not fields["label_fr"]:
        fields["label_fr"] = row["key"]
    return fields


def _value_fields(row: dict) -> dict:
    """qualifier, note and source from the columns the file has; absent ones are kept."""
    fields = {name: row[name] for name in ("note", "source") if name in row["columns"]}
    if "qualifier" in row["columns"]:
        fields["qualifier"] = Qualifier(row["qualifier"] or Qualifier.EXACT)
    return fields


def import_metrics(*, rows: Iterable[dict], actor=None) -> dict:
    """Upsert definitions and values; returns counts and one line per change."""
    rows = list(rows)
    years = {int(r["year"]) for r in rows if r["year"]}
    if years:
        ensure_editions(max(years))
    editions = {e.year: e for e in db.session.scalars(db.select(Edition))}
    regions = set(db.session.scalars(db.select(Region.code)))
    report = {"definitions": {"created": 0, "updated": 0, "unchanged": 0},
              "values": {"created": 0, "updated": 0, "unchanged": 0}, "changes": []}
    seen: set[str] = set()
    for row in rows:
        existing = db.session.scalar(db.select(MetricDefinition).filter_by(key=row["key"]))
        definition, status = save_definition(key=row["key"], actor=actor,
                                             **_definition_fields(row, existing))
        if row["key"] not in seen:
            seen.add(row["key"])
            report["definitions"][status] += 1
        if status != "unchanged":
            report["changes"].append(f"définition {row['key']} : {status}")
        if row["value"] is None:
            continue
        year = int(row["year"])
        if year not in editions:
            raise MetricImportError(f"ligne {row['line']} : aucune édition {year}")
        if row["region_code"] and row["region_code"] not in regions:
            raise MetricImportError(
                f"ligne {row['line']} : région « {row['region_code']} » inconnue")
        _, status = save_value(
            edition=editions[year], definition=definition, value=row["value"],
            region_code=row["region_code"] or None, breakdown=row["breakdown"],
            actor=actor, **_value_fields(row))
        report["values"][status] += 1
        if status != "unchanged":
            where = f" {row['region_code']}" if row["region_code"] else ""
            extra = f" [{row['breakdown']}]" if row["breakdown"] else ""
            report["changes"].append(
                f"{year} {row['key']}{where}{extra} = {_plain(row['value'])} : {status}")
    return report
