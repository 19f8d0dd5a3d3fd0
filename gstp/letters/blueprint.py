"""The letters blueprint, shared by the campaign, directory and letter views."""
from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/lettres")
