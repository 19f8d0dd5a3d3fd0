"""The activities blueprint, and the lookup its organizer pages share."""
from flask import Blueprint, abort
from flask_login import current_user

from gstp.activities.models import Activity
from gstp.activities.queries import activity_for

bp = Blueprint("activities", __name__)


def own_activity(activity_id: int) -> Activity:
    """The signed-in organization's activity, else 404."""
    activity = activity_for(current_user, activity_id)
    if activity is None:
        abort(404)
    return activity
