"""`flask gstp backup DIR` and `flask gstp restore DIR`."""
from pathlib import Path

import click

from gstp.backup.manifest import BackupError
from gstp.backup.services import make_backup, restore_backup
from gstp.commands import gstp_cli

_DIRECTORY = click.Path(file_okay=False, path_type=Path)


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n)


@gstp_cli.command("backup")
@click.argument("directory", type=_DIRECTORY)
def backup_command(directory: Path) -> None:
    """Back up the database and the posters into DIRECTORY (new or empty), with a manifest."""
    try:
        manifest = make_backup(directory=directory)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Sauvegarde écrite dans {directory} : base {manifest['database']['backend']} "
               f"(migration {manifest['migration_head']}), {len(manifest['posters'])} "
               "fichiers d'affiches.")
    click.echo(f"Lignes : {_rows(manifest['counts'])}")
    if manifest["missing_posters"]:
        click.echo("Attention : affiches nommées par la base mais absentes du disque : "
                   + ", ".join(manifest["missing_posters"]), err=True)


@gstp_cli.command("restore", needs_database=False)
@click.argument("directory", type=_DIRECTORY)
def restore_command(directory: Path) -> None:
    """Restore a backup of DIRECTORY onto an empty database and an empty posters directory."""
    try:
        report = restore_backup(directory=directory)
    except BackupError as error:
        raise click.ClickException(f"Restauration refusée : {error}") from error
    migrated = ("" if report["migrated_to"] == report["migration_head"]
                else f", migrée vers {report['migrated_to']}")
    click.echo(f"Sauvegarde du {report['created_at']} (version {report['app_version']}) "
               f"restaurée : migration {report['migration_head']}{migrated}, "
               f"{report['posters']} fichiers d'affiches, version publique "
               f"{report['public_version']}.")
    click.echo(f"Lignes : {_rows(report['counts'])}")
