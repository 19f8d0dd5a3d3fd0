"""Everything the platform holds about one account, in a structured, common format."""
import json

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from gstp.audit.services import plain
from gstp.db import utcnow
from gstp.extensions import db
from gstp.organizations.models import User

# Secrets and machine-made copies, not information about the person.
HIDDEN_COLUMNS = frozenset({"password_hash", "session_token", "search_document",
                            "submission_token"})
EXPORT_FORMAT = "gstp-donnees-personnelles-1"
# Names of the tables in the readable page (the files keep the tables' own names).
TABLE_LABELS = {
    "user_account": _l("Votre compte"), "organization": _l("Votre organisme"),
    "activity": _l("Activités que vous avez créées"),
    "occurrence": _l("Dates de ces activités"),
    "attendance_report": _l("Participation déclarée"),
    "audit_entry": _l("Journal : ce que vous avez fait, ou qui vous concerne"),
    "outbox_message": _l("Courriels qui vous ont été écrits ou qui répondent à votre adresse"),
    "official_invitation": _l("Invitations d'élus"),
    "letter_campaign": _l("Campagnes de lettres créées"),
    "metric_value": _l("Valeurs d'indicateurs saisies"),
    "media_result": _l("Retombées médiatiques saisies"),
    "privacy_policy_version": _l("Versions de la politique de confidentialité"),
    "privacy_incident": _l("Incidents de confidentialité inscrits"),
}
FIRST_TABLES = ("user_account", "organization")




def _rows(table: sa.Table, condition) -> list[dict]:
    columns = [c for c in table.columns if c.name not in HIDDEN_COLUMNS]
    order = list(table.primary_key.columns)
    result = db.session.execute(sa.select(*columns).where(condition).order_by(*order))
    return [{key: plain(value) for key, value in row._mapping.items()} for row in result]


def _add(tables: dict[str, list[dict]], name: str, rows: list[dict]) -> None:
    """Add rows to a table's list, each once (a row can be tied to the person twice)."""
    known = tables.setdefault(name, [])
    for row in rows:
        if row not in known:
            known.append(row)


def _references(target: str):
    """(table, column) of every foreign key pointing to the `target` table."""
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == target:
                yield table, fk.parent


def account_data(*, user: User) -> dict:
    """The account, its organization, every row pointing to it, and its activities' rows.

    Found through the schema's foreign keys, so a table added later is exported too.
    """
    tables: dict[str, list[dict]] = {}
    metadata = db.metadata.tables
    _add(tables, "user_account", _rows(metadata["user_account"],
                                       metadata["user_account"].c.id == user.id))
    if user.organization_id is not None:
        organization = metadata["organization"]
        _add(tables, "organization", _rows(organization,
                                           organization.c.id == user.organization_id))
    for table, column in _references("user_account"):
        _add(tables, table.name, _rows(table, column == user.id))
    activity_ids = [row["id"] for row in tables.get("activity", [])]
    if activity_ids:
        for table, column in _references("activity"):
            _add(tables, table.name, _rows(table, column.in_(activity_ids)))
    outbox = metadata["outbox_message"]
    _add(tables, "outbox_message", _rows(outbox, sa.or_(outbox.c.to_address == user.email,
                                                        outbox.c.reply_to == user.email)))
    return {"format": EXPORT_FORMAT, "generated_at": utcnow().isoformat(),
            "account": user.email,
            "tables": {name: tables[name] for name in sorted(
                (n for n, rows in tables.items() if rows),
                key=lambda n: (n not in FIRST_TABLES, FIRST_TABLES.index(n)
                               if n in FIRST_TABLES else 0, n))}}


CSV_HEADER = ("table", "id", "colonne", "valeur")


def csv_rows(data: dict):
    """One line per value: table, row id, column, value (opens in any spreadsheet)."""
    for name, rows in data["tables"].items():
        for row in rows:
            for column, value in row.items():
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                yield name, row.get("id", ""), column, value
