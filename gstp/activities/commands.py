"""`flask gstp remind-attendance`, `flask gstp regeocode` and `flask gstp remind-returning`."""
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


@gstp_cli.command("remind-returning")
def remind_returning_command() -> None:
    """Remind the invited organizations not back yet, in the last week before registrations
    close (once per person; run daily)."""
    from gstp.activities.returning import RegistrationsNotOpen, ReminderTooEarly, remind_invited
    from gstp.editions.services import current_edition

    edition = current_edition()
    try:
        if edition is None:
            raise RegistrationsNotOpen(None)
        people = remind_invited(edition=edition, actor=None)
    except RegistrationsNotOpen:
        click.echo("Aucune édition n'a ses inscriptions ouvertes.")
        return
    except ReminderTooEarly:
        click.echo("Trop tôt : le rappel part dans la dernière semaine avant la fermeture.")
        return
    db.session.commit()
    click.echo(f"Rappels mis en file : {len(people)}")
