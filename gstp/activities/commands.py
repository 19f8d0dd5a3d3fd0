"""`flask gstp remind-attendance` and `flask gstp regeocode`."""
import json

import click

from gstp.activities.services import remind_attendance
from gstp.commands import gstp_cli
from gstp.extensions import db


@gstp_cli.command("remind-attendance")
def remind_attendance_command() -> None:
    """Queue one reminder per finished published activity without an attendance report."""
    activities = remind_attendance()
    db.session.commit()
    click.echo(f"Rappels mis en file : {len(activities)}")


@gstp_cli.command("regeocode")
@click.option("--include-to-locate", is_flag=True,
              help="Réessayer aussi les activités à localiser.")
def regeocode_command(include_to_locate: bool) -> None:
    """Place again the activities whose geocoding is pending."""
    from gstp.activities.placement.services import regeocode

    summary = regeocode(include_to_locate=include_to_locate)
    db.session.commit()
    click.echo(json.dumps(summary, ensure_ascii=False))
