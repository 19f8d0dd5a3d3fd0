"""`flask gstp purge-personal-data`: the retention periods, applied daily by a timer."""
import click

from gstp.commands import gstp_cli
from gstp.db import utcnow
from gstp.extensions import db
from gstp.privacy.retention import purge_personal_data

LABELS = {
    "unconfirmed_removed": "inscriptions jamais confirmées supprimées",
    "inactive_anonymised": "comptes inactifs anonymisés",
    "inactive_warned": "avis envoyés avant anonymisation",
    "messages_deleted": "courriels envoyés effacés",
    "message_texts_erased": "textes de lettres effacés (fiche gardée)",
}


@gstp_cli.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Dire ce qui serait fait, sans rien changer.")
def purge_personal_data_command(dry_run: bool) -> None:
    """Erase the personal data whose retention period has ended, and report it."""
    report = purge_personal_data(now=utcnow())
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(("Simulation (rien n'est changé) : " if dry_run else "Fait : ") + ", ".join(
        f"{LABELS[key]} {count}" for key, count in report.items()))
