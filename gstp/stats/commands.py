"""`flask gstp import-metrics`: load entered figures (historical reports) from a CSV."""
from pathlib import Path

import click

from gstp.commands import gstp_cli
from gstp.extensions import db
from gstp.stats.services import (
    BUILTIN_METRICS,
    CSV_COLUMNS,
    MetricImportError,
    import_metrics,
    parse_metrics_csv,
)


@gstp_cli.command("import-metrics", epilog="Colonnes : " + ", ".join(CSV_COLUMNS))
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False,
                                                         path_type=Path))
@click.option("--builtin", is_flag=True,
              help="Importer les chiffres historiques livrés (bilans 2019 et 2020).")
def import_metrics_command(file: Path | None, builtin: bool) -> None:
    """Upsert metric definitions and values from FILE (or --builtin); reports the changes.

    One row per value: key, year, value, and optionally qualifier (exact, approximate,
    at_least), region_code, breakdown, source, note; the definition columns (label_fr,
    label_en, unit, kind, sort_order, description) may be given once per key. A row
    without year and value only declares the definition. Running it twice changes nothing.
    """
    if bool(file) == builtin:
        raise click.UsageError("Donnez un FICHIER ou --builtin (un seul des deux).")
    try:
        report = import_metrics(rows=parse_metrics_csv(file or BUILTIN_METRICS))
    except MetricImportError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for line in report["changes"]:
        click.echo(line)
    d, v = report["definitions"], report["values"]
    click.echo(f"Définitions : {d['created']} créées, {d['updated']} modifiées, "
               f"{d['unchanged']} inchangées. Valeurs : {v['created']} créées, "
               f"{v['updated']} modifiées, {v['unchanged']} inchangées.")
