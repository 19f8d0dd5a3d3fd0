"""`flask gstp send-mail`: run the outbox worker once or as a service."""
import time

import click

from gstp.commands import gstp_cli
from gstp.extensions import db
from gstp.mail.worker import send_pending


@gstp_cli.command("send-mail")
@click.option("--batch", default=20, show_default=True, help="Messages réservés par lot.")
@click.option("--loop/--once", default=False, help="Continuer à surveiller la file (service).")
@click.option("--sleep", default=10.0, show_default=True, help="Pause entre deux lots (--loop).")
def send_mail_command(batch: int, loop: bool, sleep: float) -> None:
    """Send the pending e-mails of the outbox."""
    while True:
        counts = send_pending(batch=batch)
        db.session.remove()  # a fresh session per batch: nothing stale in a long-lived worker
        if counts["sent"] or counts["retry"] or counts["failed"] or not loop:
            click.echo(f"Envoyés {counts['sent']}, à réessayer {counts['retry']}, "
                       f"abandonnés {counts['failed']}")
        if not loop:
            return
        # A full batch means more is waiting: go on at once.
        if sum(counts.values()) < batch:
            time.sleep(sleep)
