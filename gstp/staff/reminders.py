"""Staff page of the activities an attendance reminder cannot reach (no address at all)."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from gstp.activities.models import Activity
from gstp.activities.reminders import unreachable_query
from gstp.extensions import db
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.urlargs import page_arg

bp = Blueprint("reminders", __name__, url_prefix="/equipe/rappels-participation")
register_nav("reminders.unreachable", _l("Rappels sans adresse"), order=84, visible=staff)
PER_PAGE = 50


@bp.route("")
@staff_required
def unreachable():
    """Finished activities waiting for a reminder that has nowhere to go."""
    query = unreachable_query().options(selectinload(Activity.organization),
                                        selectinload(Activity.occurrences))
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("staff/reminders.html", page=page)
