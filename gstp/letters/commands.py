"""`flask gstp import-officials`: load or update the directory of elected officials."""
from pathlib import Path

import click

from gstp.commands import gstp_cli
from gstp.extensions import db


@gstp_cli.command("import-officials")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))
@click.option("--builtin", is_flag=True,
              help="Charger les maires et conseillers (MAMH) et les député·es (non vérifiés) "
                   "livrés.")
@click.option("--level", "levels", multiple=True,
              type=click.Choice(["municipal", "provincial", "federal"]),
              help="Niveau(x) à importer ; les autres lignes sont ignorées.")
@click.option("--keep-missing", is_flag=True,
              help="Ne pas désactiver les élus absents du fichier.")
@click.option("--verbose", "-v", is_flag=True, help="Détailler les champs modifiés.")
def import_officials_command(file: Path | None, builtin: bool, levels: tuple[str, ...],
                             keep_missing: bool, verbose: bool) -> None:
    """Import or update elected officials from FILE, a UTF-8 CSV with a header row.

    \b
    Columns: level,seat_code,civility,title,full_name,party,email,postal_address,phone,
    salutation,verified,source
    level: municipal | provincial | federal; seat_code: municipality code (mayors),
    municipality code-seat number (councillors, 34025-3), district code (MNAs) or
    riding code; only level, seat_code and full_name are required.
    civility: madame | monsieur | empty (then proposed from the given name, to check).
    An empty full_name or "Poste vacant" marks a vacant seat; verified: oui/non.
    Officials of a level in the file whose seat is missing are deactivated
    (--keep-missing to keep them); an unverified row never overwrites a verified official.
    """
    from gstp.letters import directory
    from gstp.letters.builtin_officials import (
        builtin_councillor_rows,
        builtin_mayor_rows,
        builtin_mna_rows,
    )
    from gstp.letters.models import OfficialLevel

    if bool(file) == builtin:
        raise click.UsageError("Indiquez un FICHIER ou --builtin (l'un des deux).")
    try:
        rows = (builtin_mayor_rows() + builtin_councillor_rows()
                + builtin_mna_rows() if builtin else directory.read_csv_file(file))
        report = directory.import_officials(
            rows=rows, levels={OfficialLevel(v) for v in levels} or None,
            deactivate_missing=not keep_missing)
    except directory.OfficialsFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    counts = report.summary()
    click.echo(f"Ajoutés : {counts['added']}, mis à jour : {counts['updated']}, "
               f"inchangés : {counts['unchanged']}, désactivés : {counts['deactivated']}, "
               f"vérifiés conservés : {counts['protected']}, sièges vacants : {counts['vacant']}, "
               f"conflits : {counts['conflicts']}")
    for seat, changes in report.updated.items():
        fields = ", ".join(changes)
        click.echo(f"  modifié {seat} : {fields}")
        if verbose:
            for name, (old, new) in changes.items():
                click.echo(f"    {name} : {old!r} → {new!r}")
    for seat, fields in report.conflicts.items():
        for name, (staff_value, file_value) in fields.items():
            click.echo(f"  conflit {seat} : {name} équipe {staff_value!r}, fichier {file_value!r}")
    for seat in report.deactivated:
        click.echo(f"  désactivé {seat}")
