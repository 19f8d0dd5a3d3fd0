"""Staff pages of the yearly cycle: editions and the invitations of returning organizations."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from gstp.activities import returning
from gstp.audit.services import record_audit
from gstp.editions import services
from gstp.editions.forms import EditionForm
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.forms import BaseForm
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.stats.frozen import refresh_frozen_statistics
from gstp.urlargs import BadArgument, page_arg, parse_int

bp = Blueprint("editions", __name__, url_prefix="/equipe/editions")
register_nav("editions.index", _l("Éditions"), order=83, visible=staff)
REGISTRATION_LABELS = {
    services.Registration.NOT_YET: _l("Inscriptions pas encore ouvertes"),
    services.Registration.OPEN: _l("Inscriptions ouvertes"),
    services.Registration.CLOSED: _l("Inscriptions fermées"),
}
ERRORS = {
    "closed": _l("Cette édition est fermée : elle ne peut plus être modifiée."),
    "week_not_over": _l("Une édition se ferme une fois sa semaine terminée."),
}
INVITATION_ERRORS = {
    returning.ReminderTooEarly: _l("Le rappel part dans la dernière semaine avant la fermeture "
                                   "des inscriptions."),
    returning.RegistrationsNotOpen: _l("Les invitations partent une fois l'édition publiée et "
                                       "ses inscriptions ouvertes."),
}
MAX_LAST_EDITIONS = 5
PER_PAGE = 50


def _edition(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        abort(404)
    return edition


@bp.app_context_processor
def _labels():
    return {"registration_labels": REGISTRATION_LABELS}


@bp.route("")
@staff_required
def index():
    """Every edition, newest first, with its publication and registration state."""
    editions = db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()
    return render_template("staff/editions.html", editions=editions, form=BaseForm(),
                           registration=services.registration, today=date.today())


def _next_edition_defaults() -> dict:
    latest = db.session.scalar(db.select(Edition).where(Edition.is_demo.is_(False))
                               .order_by(Edition.year.desc()).limit(1))
    year = latest.year + 1 if latest else services.FIRST_YEAR
    starts_on, ends_on = services.week_of(year)
    return {"year": year, "number": year - services.FIRST_YEAR + 1, "starts_on": starts_on,
            "ends_on": ends_on}


@bp.route("/nouvelle", methods=["GET", "POST"])
@staff_required
def create():
    """Prepare the next edition, as a draft the public does not see yet."""
    form = EditionForm(data=None if request.method == "POST" else _next_edition_defaults())
    if form.validate_on_submit():
        edition = services.create_edition(actor=current_user, fields=form.fields())
        db.session.commit()
        flash(_("Édition %(year)s créée. Publiez-la quand elle est prête.", year=edition.year),
              "success")
        return redirect(url_for("editions.index"))
    return render_template("staff/edition_form.html", form=form, edition=None)


@bp.route("/<id:edition_id>/modifier", methods=["GET", "POST"])
@staff_required
def edit(edition_id: int):
    """Change the week, theme or registration period of an edition not yet closed."""
    edition = _edition(edition_id)
    form = EditionForm(obj=None if request.method == "POST" else edition, edition=edition)
    if form.validate_on_submit():
        try:
            services.update_edition(edition=edition, actor=current_user, fields=form.fields())
        except services.EditionError as error:
            db.session.rollback()
            flash(ERRORS[error.args[0]], "error")
            return redirect(url_for("editions.index"))
        db.session.commit()
        flash(_("Édition enregistrée."), "success")
        return redirect(url_for("editions.index"))
    return render_template("staff/edition_form.html", form=form, edition=edition)


@bp.route("/<id:edition_id>/publier", methods=["POST"])
@staff_required
def publish(edition_id: int):
    """Show the edition on the public pages."""
    edition = _edition(edition_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.publish_edition(edition=edition, actor=current_user)
    db.session.commit()
    flash(_("Édition %(year)s publiée.", year=edition.year), "success")
    return redirect(url_for("editions.index"))


@bp.route("/<id:edition_id>/fermer", methods=["POST"])
@staff_required
def close(edition_id: int):
    """Close the edition after its week: its figures freeze."""
    edition = _edition(edition_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.close_edition(edition=edition, actor=current_user)
    except services.EditionError as error:
        db.session.rollback()
        flash(ERRORS[error.args[0]], "error")
        return redirect(url_for("editions.index"))
    db.session.commit()
    flash(_("Édition %(year)s fermée.", year=edition.year), "success")
    return redirect(url_for("editions.index"))


@bp.route("/<id:edition_id>/statistiques", methods=["POST"])
@staff_required
def refresh_figures(edition_id: int):
    """Recompute the kept figures of a closed edition (after a correction made by hand)."""
    edition = _edition(edition_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    if edition.closed_at is None:
        abort(404)
    refresh_frozen_statistics(editions=[edition])
    record_audit(actor=current_user, action="edition.figures_refreshed", target=edition)
    db.session.commit()
    flash(_("Statistiques de l'édition %(year)s recalculées.", year=edition.year), "success")
    return redirect(url_for("editions.index"))


def _last_editions() -> int:
    try:
        return parse_int(request.form.get("last_editions", "1"), minimum=1,
                         maximum=MAX_LAST_EDITIONS)
    except BadArgument:
        abort(400)


@bp.route("/<id:edition_id>/invitations", methods=["GET", "POST"])
@staff_required
def invitations(edition_id: int):
    """Invite last years' organizations, remind them, and see who came back."""
    edition = _edition(edition_id)
    form = BaseForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            if request.form.get("campaign") == "reminder":
                sent = returning.remind_invited(edition=edition, actor=current_user)
            else:
                sent = returning.invite_returning(edition=edition, actor=current_user,
                                                  last_editions=_last_editions())
        except (returning.ReminderTooEarly, returning.RegistrationsNotOpen) as error:
            db.session.rollback()
            flash(INVITATION_ERRORS[type(error)], "error")
            return redirect(url_for("editions.invitations", edition_id=edition.id))
        try:
            db.session.commit()
        except IntegrityError:  # sent at the same moment from another page: once is enough
            db.session.rollback()
            sent = []
        flash(_("%(count)s courriel(s) mis dans la boîte d'envoi.", count=len(sent)), "success")
        return redirect(url_for("editions.invitations", edition_id=edition.id))
    invited = returning.invited_organizations(edition.id)
    page = page_arg()
    shown = invited[(page - 1) * PER_PAGE:page * PER_PAGE]
    return render_template(
        "staff/invitations.html", edition=edition, form=form, invited=shown, page=page,
        pages=max(1, -(-len(invited) // PER_PAGE)), total=len(invited),
        came_back=sum(1 for row in invited if row.activities),
        reminder_opens_on=returning.reminder_opens_on(edition),
        max_last_editions=MAX_LAST_EDITIONS)
