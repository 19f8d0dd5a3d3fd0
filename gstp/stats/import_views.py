"""Staff import entered figures from a metrics CSV: change report first, then confirmation."""
import tempfile
from pathlib import Path

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from gstp.audit.services import record_audit
from gstp.permissions import staff_required
from gstp.stats.blueprint import bp
from gstp.stats.services import CSV_COLUMNS, MetricImportError, import_metrics, parse_metrics_csv
from gstp.uploads import ImportTarget, import_page


def _rows(text: str) -> list[dict]:
    # parse_metrics_csv reads a file, as the CLI command does: give it the uploaded text as one.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "metrics.csv"
        path.write_text(text, encoding="utf-8")
        return parse_metrics_csv(path)


def _run(*, text: str, filename: str, confirmed: bool) -> dict:
    report = import_metrics(rows=_rows(text), actor=current_user if confirmed else None)
    if confirmed:
        record_audit(actor=current_user, action="metrics.imported",
                     target=ImportTarget("metric_value"),
                     details={"file": filename, "definitions": report["definitions"],
                              "values": report["values"]})
    return report


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_metrics_page():
    """Upload a metrics CSV, review what changes, then confirm the import."""
    return import_page(
        run=_run, errors=(MetricImportError,), template="stats/import.html",
        done_url=url_for("stats.definitions"), columns=CSV_COLUMNS,
        done_message=lambda report: _(
            "Import enregistré : %(created)s valeurs ajoutées, %(updated)s modifiées.",
            **report["values"]))
