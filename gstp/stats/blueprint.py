"""The statistics blueprint, shared by the comparison pages and the import page."""
from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/equipe/statistiques")
