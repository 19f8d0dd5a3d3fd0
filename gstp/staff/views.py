"""Staff tools: home, moderation queue, audit log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp import navigation
from gstp.activities.duplicates import duplicates_of
from gstp.activities.forms import RejectForm
from gstp.activities.labels import CATEGORY_LABELS
from gstp.activities.models import Activity, ActivityState, Category
from gstp.activities.moderation import IllegalTransition, set_state
from gstp.activities.queries import moderation_query
from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.navigation import register_nav, staff
from gstp.organizations.models import Organization
from gstp.permissions import staff_required
from gstp.security.redirects import safe_local_path
from gstp.staff.journal import OBJECT_TYPES, action_choices
from gstp.staff.journal import lines as journal_lines
from gstp.staff.queries import audit_actions, audit_query
from gstp.urlargs import date_arg, enum_arg, id_arg, ids_arg, page_arg, text_arg

bp = Blueprint("staff", __name__, url_prefix="/equipe")
register_nav("staff.home", _l("Équipe"), order=80, visible=staff)
register_nav("staff.moderation", _l("Modération"), order=81, visible=staff)
register_nav("staff.journal", _l("Journal"), order=89, visible=staff)
PER_PAGE = 25


@bp.route("")
@staff_required
def home():
    """Links to every staff tool, with what waits for moderation."""
    waiting = db.session.scalar(db.select(db.func.count(Activity.id))
                                .where(Activity.state == ActivityState.SUBMITTED))
    return render_template("staff/home.html", waiting=waiting, tools=_staff_tools())


def _staff_tools() -> list[dict]:
    # Every link a domain registered for staff only, so new tools appear here by themselves.
    return [{"url": url_for(item.endpoint), "label": item.label}
            for item in navigation.items_for(staff) if item.endpoint != "staff.home"]


@bp.route("/moderation")
@staff_required
def moderation():
    """Activities to approve or refuse, filtered and paginated."""
    # Absent means the default (waiting, current edition); blank means "all".
    state = (enum_arg(ActivityState, "state") if "state" in request.args
             else ActivityState.SUBMITTED)
    edition_id = id_arg("edition")
    if "edition" not in request.args:
        edition = current_edition()
        edition_id = edition.id if edition else None
    filters = {"state": state, "region": text_arg("region", max_length=2) or None,
               "category": enum_arg(Category, "category"),
               "organization_id": id_arg("organization"), "edition_id": edition_id}
    page = db.paginate(moderation_query(**filters), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    return render_template(
        "staff/moderation.html", page=page, filters=filters, reject_form=RejectForm(),
        duplicates={a.id: duplicates_of(a) for a in page.items
                    if a.state is ActivityState.SUBMITTED},
        regions=db.session.scalars(db.select(Region).order_by(Region.code)).all(),
        editions=db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all(),
        organizations=db.session.scalars(db.select(Organization)
                                         .order_by(Organization.name)).all(),
        categories=CATEGORY_LABELS, states=list(ActivityState))


def _back():
    target = safe_local_path(request.form.get("next"))
    if target and target.startswith("/equipe/"):
        return redirect(target)
    return redirect(url_for("staff.moderation"))


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    return activity


@bp.route("/moderation/<id:activity_id>/approuver", methods=["POST"])
@staff_required
def approve(activity_id: int):
    """Publish one activity."""
    activity = _activity(activity_id)
    try:
        set_state(activity=activity, state=ActivityState.PUBLISHED, actor=current_user)
    except IllegalTransition:
        flash(_("« %(title)s » ne peut pas être publiée dans son état actuel.",
                title=activity.title), "error")
        return _back()
    db.session.commit()
    flash(_("« %(title)s » est publiée.", title=activity.title), "success")
    return _back()


@bp.route("/moderation/<id:activity_id>/refuser", methods=["GET", "POST"])
@staff_required
def reject(activity_id: int):
    """Refuse one activity with a reason the organization will read."""
    activity = _activity(activity_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            set_state(activity=activity, state=ActivityState.REJECTED,
                      actor=current_user, reason=form.reason.data)
        except IllegalTransition:
            flash(_("« %(title)s » ne peut pas être refusée dans son état actuel.",
                    title=activity.title), "error")
            return _back()
        db.session.commit()
        flash(_("« %(title)s » est refusée ; l'organisme a été avisé.", title=activity.title),
              "success")
        return _back()
    return render_template("staff/reject.html", activity=activity, form=form)


@bp.route("/moderation/approuver", methods=["POST"])
@staff_required
def bulk_approve():
    """Publish every checked activity still waiting; others are reported, not changed."""
    ids = ids_arg("ids", source=request.form)[:200]
    if not ids:
        flash(_("Cochez au moins une activité."), "warning")
        return _back()
    published, skipped = 0, 0
    for activity in db.session.scalars(db.select(Activity).where(Activity.id.in_(ids))):
        try:
            set_state(activity=activity, state=ActivityState.PUBLISHED,
                      actor=current_user)
            published += 1
        except IllegalTransition:
            skipped += 1
    db.session.commit()
    flash(_("%(count)s activité(s) publiée(s).", count=published), "success")
    if skipped:
        flash(_("%(count)s activité(s) n'étaient plus en attente.", count=skipped), "warning")
    return _back()


@bp.route("/journal")
@staff_required
def journal():
    """The journal: who did what to which object, before → after, in words."""
    filters = {"action": text_arg("action", max_length=60) or None,
               "actor_email": text_arg("actor", max_length=255) or None,
               "target_type": text_arg("target_type", max_length=40) or None,
               "target_id": id_arg("target_id"),
               "since": date_arg("since"), "until": date_arg("until")}
    page = db.paginate(audit_query(**filters), page=page_arg(), per_page=50, error_out=False)
    return render_template("staff/journal.html", page=page, filters=filters,
                           lines=journal_lines(page.items),
                           actions=action_choices(audit_actions()),
                           object_types=list(OBJECT_TYPES.items()))
