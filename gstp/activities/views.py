"""Organizers' pages: "Mes activités", cancelling, attendance (the form in form_views)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import gstp.activities.form_views  # noqa: F401 - registers the form's routes on bp
from gstp.activities import reconduction, survey
from gstp.activities.attendance import attendance_open, report_attendance
from gstp.activities.blueprint import bp, own_activity
from gstp.activities.forms import AttendanceForm
from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS, FORMAT_LABELS
from gstp.activities.models import ActivityState
from gstp.activities.moderation import (
    ActivityFinished,
    IllegalTransition,
    ReasonRequired,
    activity_finished,
    set_state,
)
from gstp.activities.queries import organization_activities
from gstp.editions.services import current_edition, registration
from gstp.extensions import db
from gstp.forms import BaseForm
from gstp.navigation import organizers, register_nav
from gstp.permissions import organizer_required

register_nav("activities.dashboard", _l("Mes activités"), order=20, visible=organizers)
STATE_LABELS = {
    ActivityState.SUBMITTED: _l("En attente d'approbation"),
    ActivityState.PUBLISHED: _l("Publiée"),
    ActivityState.REJECTED: _l("Refusée"),
    ActivityState.CANCELLED: _l("Annulée"),
}


@bp.app_context_processor
def _labels():
    return {"state_labels": STATE_LABELS, "category_labels": CATEGORY_LABELS,
            "audience_labels": AUDIENCE_LABELS, "format_labels": FORMAT_LABELS}


@bp.route("/mes-activites")
@organizer_required
def dashboard():
    """The organization's activities: this edition first, then the past ones."""
    edition = current_edition()
    if current_user.organization_id is None:  # staff without an organization
        return redirect(url_for("staff.moderation"))
    edition_id = edition.id if edition else None
    kwargs = {"organization_id": current_user.organization_id, "edition_id": edition_id}
    past = reconduction.reconductible(organization_id=current_user.organization_id,
                                      edition=edition) if edition else []
    return render_template(
        "activities/dashboard.html", edition=edition,
        current=organization_activities(current=True, **kwargs),
        past=organization_activities(current=False, **kwargs) if edition_id else [],
        attendance_open=attendance_open, finished=activity_finished,
        reconductible=past,
        copies=reconduction.copies_by_source(edition_id, [a.id for a in past]),
        registration=registration(edition) if edition else None, form=BaseForm())


@bp.route("/mes-activites/<id:activity_id>/annuler", methods=["GET", "POST"])
@organizer_required
def cancel(activity_id: int):
    """Confirm, then cancel an activity; after its last date only staff withdraw it."""
    activity = own_activity(activity_id)
    finished = activity_finished(activity)
    if finished and not current_user.is_staff:
        flash(_("Cette activité a eu lieu : elle ne peut plus être annulée. Écrivez à l'équipe "
                "pour la retirer."), "warning")
        return redirect(url_for("activities.dashboard"))
    if request.method == "POST":
        try:
            set_state(activity=activity, state=ActivityState.CANCELLED,
                      actor=current_user, reason=request.form.get("reason", "")[:2000])
        except ReasonRequired:
            flash(_("Indiquez la raison du retrait de cette activité passée."), "error")
            return render_template("activities/cancel.html", activity=activity,
                                   finished=finished), 400
        except (IllegalTransition, ActivityFinished):
            flash(_("Cette activité ne peut pas être annulée."), "error")
            return redirect(url_for("activities.dashboard"))
        db.session.commit()
        flash(_("Activité annulée. Les personnes abonnées au calendrier verront "
                "l'annulation."), "success")
        return redirect(url_for("activities.dashboard"))
    return render_template("activities/cancel.html", activity=activity, finished=finished)


@bp.route("/mes-activites/<id:activity_id>/participation", methods=["GET", "POST"])
@organizer_required
def attendance(activity_id: int):
    """Report (or correct) how many people the activity reached."""
    activity = own_activity(activity_id)
    if activity.state is not ActivityState.PUBLISHED:
        flash(_("Cette activité n'est pas publiée : la participation s'indique une fois "
                "l'activité approuvée par l'équipe."), "warning")
        return redirect(url_for("activities.dashboard"))
    if not attendance_open(activity):
        flash(_("Vous pourrez indiquer la participation une fois l'activité commencée."),
              "info")
        return redirect(url_for("activities.dashboard"))
    form = AttendanceForm(obj=activity.attendance)
    # The edition's post-week survey is answered once per organization, with any report.
    questions = survey.questions_for(activity.edition_id)
    if form.validate_on_submit():
        report_attendance(activity=activity, actor=current_user,
                          children=form.children.data, adults=form.adults.data,
                          organizations_reached=form.organizations_reached.data,
                          comments=form.comments.data or "")
        survey.save_answers(organization=activity.organization, actor=current_user,
                            answers=survey.parse_answers(request.form, questions))
        db.session.commit()
        flash(_("Merci ! La participation est enregistrée."), "success")
        return redirect(url_for("activities.dashboard"))
    return render_template("activities/attendance.html", activity=activity, form=form,
                           questions=questions, field_prefix=survey.FIELD_PREFIX,
                           answers=survey.answers_of(activity.organization_id, questions))
