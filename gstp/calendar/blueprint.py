"""The public blueprint, shared by the page views and the feed and data views."""
from flask import Blueprint

bp = Blueprint("calendar", __name__)
