"""Staff review of edits to published activities: accept or put back in one click."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.activities import published_edits
from gstp.activities.models import Activity
from gstp.activities.wording import described_changes
from gstp.extensions import db
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.urlargs import page_arg

bp = Blueprint("edits", __name__, url_prefix="/equipe/modifications")
register_nav("edits.waiting", _l("Modifications publiées"), order=82, visible=staff)
PER_PAGE = 25


@bp.route("")
@staff_required
def waiting():
    """Published activities « modifiées depuis l'approbation », with before → after."""
    page = db.paginate(published_edits.waiting_query(), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    reviews = [(activity, described_changes(published_edits.changes(activity)))
               for activity in page.items]
    return render_template("staff/edits.html", page=page, reviews=reviews)


def _review(activity_id: int, act, done: str, message: str):
    activity = db.session.get(Activity, activity_id) or abort(404)
    try:
        act(activity=activity, actor=current_user)
    except published_edits.NothingToReview:
        flash(_("« %(title)s » n'a plus de modification en attente.", title=activity.title),
              "warning")
        return redirect(url_for("edits.waiting"))
    db.session.commit()
    flash(message % {"title": activity.title}, "success")
    return redirect(url_for("edits.waiting", _anchor=done))


@bp.route("/<id:activity_id>/accepter", methods=["POST"])
@staff_required
def accept(activity_id: int):
    """Keep the edit live; it becomes the approved version."""
    return _review(activity_id, published_edits.accept_edit, "accepte",
                   _("Modifications de « %(title)s » acceptées ; l'organisme a été avisé."))


@bp.route("/<id:activity_id>/annuler", methods=["POST"])
@staff_required
def revert(activity_id: int):
    """Put back the approved public fields and dates."""
    return _review(activity_id, published_edits.revert_edit, "annule",
                   _("Modifications de « %(title)s » annulées ; l'organisme a été avisé."))
