"""The `flask gstp` command group, low enough for every domain to add its commands to."""
from flask.cli import AppGroup

gstp_cli = AppGroup("gstp", help="Commandes de la Grande semaine des tout-petits.")
