"""Public pages: home, and (later) the list, calendar and map of activities."""
from flask import Blueprint, render_template

from gstp.calendar.queries import home_summary

bp = Blueprint("calendar", __name__)


@bp.route("/")
def home():
    """Home page: the current edition and what is on."""
    return render_template("calendar/home.html", **home_summary())
