"""Staff pages of the incident register: list, record, update, export."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.exports import csv_response
from gstp.extensions import db
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.privacy import incidents
from gstp.privacy.forms import IncidentForm
from gstp.privacy.models import Incident
from gstp.privacy.queries import incidents_query
from gstp.urlargs import page_arg

bp = Blueprint("incidents", __name__, url_prefix="/equipe/incidents")
register_nav("incidents.register", _l("Incidents de confidentialité"), order=96, visible=staff)
PER_PAGE = 25


@bp.route("")
@staff_required
def register():
    """The register, latest incidents first."""
    page = db.paginate(incidents_query(), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("privacy/incidents.html", page=page)


@bp.route("/nouveau", methods=["GET", "POST"])
@bp.route("/<id:incident_id>", methods=["GET", "POST"])
@staff_required
def edit(incident_id: int | None = None):
    """Record an incident, or update one (notifications, measures)."""
    incident = db.session.get(Incident, incident_id) if incident_id else None
    if incident_id and incident is None:
        abort(404)
    form = IncidentForm(obj=incident)
    if form.validate_on_submit():
        if incident is None:
            incidents.record_incident(actor=current_user, **form.values())
            message = _("L'incident est inscrit au registre.")
        else:
            incidents.update_incident(incident=incident, actor=current_user, **form.values())
            message = _("L'incident est mis à jour.")
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("incidents.register"))
    return render_template("privacy/incident_form.html", form=form, incident=incident)


EXPORT_HEADER = (_l("Numéro"), _l("Date de l'incident"), _l("Constaté le"), _l("Description"),
                 _l("Renseignements visés"), _l("Personnes concernées"),
                 _l("Évaluation du risque"), _l("Risque de préjudice sérieux"),
                 _l("Mesures prises"), _l("Avis à la Commission"), _l("Avis aux personnes"),
                 _l("Inscrit le"))


@bp.route("/registre.csv")
@staff_required
def export():
    """The whole register as CSV (to hand to the Commission on request)."""
    rows = ((i.id, i.occurred_on, i.discovered_on, i.description, i.information_concerned,
             i.people_affected, i.risk_assessment, i.serious_risk, i.measures,
             i.commission_notified_on, i.people_notified_on, i.created_at.date())
            for i in db.session.scalars(incidents_query()))
    return csv_response("registre-incidents.csv", [str(h) for h in EXPORT_HEADER], rows, "fr")
