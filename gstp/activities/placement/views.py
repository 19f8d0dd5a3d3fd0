"""Staff page: activities the geocoder could not place, fixed with a pin or a municipality."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.activities.models import Activity
from gstp.activities.placement.forms import DistrictChoiceForm, RelocateForm
from gstp.activities.placement.queries import activities_to_locate, activities_without_district
from gstp.activities.placement.services import (
    RelocationError,
    choose_district,
    relocate_activity,
)
from gstp.extensions import db
from gstp.geo.gazetteer import gazetteer
from gstp.geo.models import District
from gstp.geo.queries import district_choices, municipality_choices
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.urlargs import page_arg

bp = Blueprint("placement", __name__)
register_nav("placement.to_locate", _l("À localiser"), order=80, visible=staff)

ERRORS = {
    "point": _l("Ce point est hors du Québec."),
    "municipality": _l("Municipalité inconnue."),
    "district": _l("Circonscription inconnue."),
}


@bp.route("/equipe/a-localiser")
@staff_required
def to_locate():
    """Activities waiting for a place, then those of split cities waiting for a district."""
    page = activities_to_locate(page=page_arg())
    undistricted = activities_without_district(page=page_arg("page_circ"))
    return render_template("activities/to_locate.html", page=page, undistricted=undistricted,
                           city_districts=_city_districts(undistricted.items))


def _city_districts(activities) -> dict[str, list[District]]:
    """Municipality code → its districts, for the one-click buttons."""
    gaz, result = gazetteer(), {}
    for code in {a.municipality_code for a in activities}:
        result[code] = list(db.session.scalars(db.select(District).where(
            District.code.in_(gaz.districts_of(code))).order_by(District.name)))
    return result


@bp.route("/equipe/a-localiser/<id:activity_id>/circonscription", methods=["POST"])
@staff_required
def choose(activity_id: int):
    """Set the district of an activity of a split city from the list's buttons."""
    activity = db.session.get(Activity, activity_id) or abort(404)
    form = DistrictChoiceForm()
    form.district_code.choices = list(gazetteer().districts_of(activity.municipality_code))
    if form.validate_on_submit():
        choose_district(activity=activity, actor=current_user,
                        district_code=form.district_code.data)
        db.session.commit()
        flash(_("Circonscription enregistrée pour « %(title)s ».", title=activity.title),
              "success")
    else:
        flash(_("Choisissez une des circonscriptions de la ville."), "error")
    return redirect(url_for("placement.to_locate", _anchor="circonscriptions"))


@bp.route("/equipe/a-localiser/<id:activity_id>", methods=["GET", "POST"])
@staff_required
def relocate(activity_id: int):
    """Move the pin or pick a municipality, then save (status MANUAL, audited)."""
    activity = db.session.get(Activity, activity_id) or abort(404)
    form = RelocateForm(obj=None if request.method == "POST" else activity)
    form.municipality_code.choices = [("", _("— Garder la municipalité actuelle —"))] + \
        municipality_choices()
    form.district_code.choices = [("", _("— Selon la municipalité —"))] + district_choices()
    if form.validate_on_submit():
        try:
            relocate_activity(
                activity=activity, actor=current_user,
                latitude=float(form.latitude.data) if form.latitude.data is not None else None,
                longitude=float(form.longitude.data) if form.longitude.data is not None else None,
                municipality_code=form.municipality_code.data or None,
                district_code=form.district_code.data or None)
        except RelocationError as error:
            field = form.latitude if str(error) == "point" else getattr(
                form, f"{error}_code", form.municipality_code)
            field.errors.append(ERRORS[str(error)])
        else:
            db.session.commit()
            flash(_("Emplacement enregistré pour « %(title)s ».", title=activity.title), "success")
            return redirect(url_for("placement.to_locate"))
    elif request.method == "GET":
        form.municipality_code.data = activity.municipality_code or ""
        form.district_code.data = activity.district_code or ""
    return render_template("activities/relocate.html", activity=activity, form=form,
                           **map_tiles())


def map_tiles() -> dict:
    """The tile server of the pin maps (none in tests: the pin works without tiles)."""
    return {"tile_url": current_app.config.get("MAP_TILE_URL", ""),
            "tile_attribution": current_app.config.get("MAP_TILE_ATTRIBUTION", "")}
