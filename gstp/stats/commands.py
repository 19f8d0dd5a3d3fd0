"""`flask gstp import-metrics` (entered figures from a CSV) and `flask gstp freeze-statistics`."""
from pathlib import Path

import click

from gstp.commands import gstp_cli
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.stats.frozen import freeze_closed_editions, refresh_frozen_statistics
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


@gstp_cli.command("freeze-statistics")
@click.option("--all", "everything", is_flag=True,
              help="Recalculer aussi les éditions dont les chiffres sont déjà figés.")
def freeze_statistics_command(everything: bool) -> None:
    """Keep the computed figures of every edition whose week and attendance period are over."""
    if everything:
        count = refresh_frozen_statistics(editions=db.session.scalars(
            db.select(Edition).order_by(Edition.year)).all())
    else:
        count = freeze_closed_editions()
    db.session.commit()
    click.echo(f"Éditions figées : {count}.")
