"""« Reconduire » on « Mes activités »: past activities copied into the open edition."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from gstp.activities import reconduction
from gstp.editions.services import Registration, current_edition, registration
from gstp.extensions import db
from gstp.forms import BaseForm
from gstp.permissions import organizer_required
from gstp.security.ratelimit import rate_limit
from gstp.urlargs import ids_arg

bp = Blueprint("reconduction", __name__)
MAX_AT_ONCE = 200


@bp.route("/mes-activites/reconduire", methods=["POST"])
@rate_limit("reconduction", per_hour=120, key="user")
@organizer_required
def reconduct():
    """Copy the ticked past activities into the open edition; clicking twice copies once."""
    edition = current_edition()
    back = redirect(url_for("activities.dashboard", _anchor="reconduire"))
    if current_user.organization_id is None:  # staff without an organization
        abort(403)
    if not BaseForm().validate_on_submit():
        flash(_("La page a expiré : recommencez."), "error")
        return back
    if edition is None or (registration(edition) is not Registration.OPEN
                           and not current_user.is_staff):
        flash(_("Les inscriptions ne sont pas ouvertes : rien n'a été reconduit."), "error")
        return back
    ids = ids_arg("ids", source=request.form)[:MAX_AT_ONCE]
    if not ids:
        flash(_("Cochez au moins une activité à reconduire."), "error")
        return back
    copies = reconduction.reconduct(organization_id=current_user.organization_id,
                                    edition=edition, activity_ids=ids, actor=current_user)
    db.session.commit()
    flash(ngettext("%(num)d activité reconduite : l'équipe la vérifiera avant de la publier.",
                   "%(num)d activités reconduites : l'équipe les vérifiera avant de les publier.",
                   len(copies)), "success")
    if any(copy.dates_to_set for copy in copies):
        flash(_("Certaines dates n'ont pas pu être déplacées dans la nouvelle semaine : "
                "indiquez-les en modifiant les activités marquées « dates à préciser »."),
              "warning")
    return redirect(url_for("activities.dashboard"))
