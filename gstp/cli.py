"""`flask gstp …` commands: set-up, demo data and accounts."""
import secrets
from datetime import date

import click
from flask import Flask
from flask_migrate import upgrade

from gstp.commands import gstp_cli
from gstp.extensions import db


@gstp_cli.command("init", needs_database=False)
def init_command() -> None:
    """Migrate the database and load the Québec reference data and known editions."""
    from gstp.editions.services import ensure_editions
    from gstp.geo.reference import load_reference_data

    upgrade()
    counts = load_reference_data()
    ensure_editions(date.today().year)
    db.session.commit()
    click.echo("Données de référence : " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@gstp_cli.command("demo")
@click.option("--activities", default=50, show_default=True, help="Nombre d'activités.")
@click.option("--seed", default=2016, show_default=True, help="Graine du hasard.")
def demo_command(activities: int, seed: int) -> None:
    """Create a clearly labelled demo edition with organizations, activities and a staff login."""
    from gstp.demo import create_demo_data

    summary = create_demo_data(activity_count=activities, seed=seed)
    db.session.commit()
    click.echo(f"Édition de démonstration {summary['edition']} : "
               f"{summary['organizations']} organismes, {summary['activities']} activités.")
    for login in summary["logins"]:
        click.echo(f"Connexion {login['role']} : {login['email']} / {login['password']}")


@gstp_cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["organizer", "staff", "admin"]), default="staff",
              show_default=True)
@click.option("--password", default=None, help="Mot de passe (généré s'il est omis).")
@click.option("--organization-id", type=int, default=None, help="Organisme (rôle organizer).")
def create_user_command(email: str, role: str, password: str | None,
                        organization_id: int | None) -> None:
    """Create a verified account and print its password."""
    from gstp.organizations.models import UserRole
    from gstp.organizations.passwords import password_refusal
    from gstp.organizations.services import UserExists, create_user

    if password is not None and (refusal := password_refusal(password, email=email)):
        raise click.ClickException(refusal)
    password = password or secrets.token_urlsafe(12)
    try:
        user = create_user(email=email, password=password, role=UserRole(role),
                           organization_id=organization_id, verified=True)
    except UserExists as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Compte {user.role.value} créé : {user.email} / {password}")


# Each domain adds its own `flask gstp …` commands to gstp_cli in a module listed here.
DOMAIN_COMMAND_MODULES: tuple[str, ...] = (
    "gstp.mail.commands",
    "gstp.activities.commands",
    "gstp.geo.commands",
    "gstp.letters.commands",
    "gstp.stats.commands",
    "gstp.backup.commands",
    "gstp.privacy.commands",
)


def init_app(app: Flask) -> None:
    """Attach the command group with every domain's commands."""
    from importlib import import_module

    for module_name in DOMAIN_COMMAND_MODULES:
        import_module(module_name)
    app.cli.add_command(gstp_cli)
