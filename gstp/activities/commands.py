"""`flask gstp remind-attendance` and `flask gstp regeocode`."""
import json

import click

from gstp.activities.reminders import remind_attendance
from gstp.commands import gstp_cli
from gstp.extensions import db
from gstp.mail.services import absolute_url


@gstp_cli.command("remind-attendance")
@click.option("--dry-run", is_flag=True,
              help="Dire ce qui serait envoyé, sans rien mettre en file.")
def remind_attendance_command(dry_run: bool) -> None:
    """Queue one reminder per finished published activity without an attendance report."""
    run = remind_attendance(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"Essai : rien n'est mis en file. Rappels à envoyer : {len(run.reminded)} "
                   f"({run.messages} courriel(s))")
    else:
        db.session.commit()
        click.echo(f"Rappels mis en file : {len(run.reminded)} ({run.messages} courriel(s))")
    click.echo(f"{len(run.without_address)} sans adresse courriel")
    for activity in run.without_address:
        click.echo(f"  n° {activity.id} « {activity.title} » ({activity.organization.name})")
    if run.without_address:
        click.echo(f"Liste pour l'équipe : {absolute_url('reminders.unreachable')}")


@gstp_cli.command("regeocode")
@click.option("--include-to-locate", is_flag=True,
              help="Réessayer aussi les activités à localiser.")
def regeocode_command(include_to_locate: bool) -> None:
    """Place again the activities whose geocoding is pending."""
    from gstp.activities.placement.services import regeocode

    summary = regeocode(include_to_locate=include_to_locate)
    db.session.commit()
    click.echo(json.dumps(summary, ensure_ascii=False))
