"""`flask gstp remind-attendance`: ask organizations how many people they reached."""
import click

from gstp.activities.services import remind_attendance
from gstp.cli import gstp_cli
from gstp.extensions import db


@gstp_cli.command("remind-attendance")
def remind_attendance_command() -> None:
    """Queue one reminder per finished published activity without an attendance report."""
    activities = remind_attendance()
    db.session.commit()
    click.echo(f"Rappels mis en file : {len(activities)}")
