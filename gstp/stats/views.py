"""Staff pages: the edition-by-edition comparison, its exports, and entered figures."""
import json
from functools import cache

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from shapely.geometry import mapping, shape
from wtforms.fields.choices import SelectChoice

import gstp.stats.import_views  # noqa: F401 - registers the import page on bp
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.geo.reference import DATA_DIR
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.stats import comparison as comparison_service
from gstp.stats.blueprint import bp
from gstp.stats.computed_metrics import COMPUTED_METRICS
from gstp.stats.figures import figure_text
from gstp.stats.forms import MetricDefinitionForm, MetricValueForm
from gstp.stats.models import MetricDefinition, MetricKind, MetricValue, Qualifier
from gstp.stats.records_views import media_bp, opeds_bp, survey_bp
from gstp.stats.report import build_report, pdf_bytes
from gstp.stats.services import delete_value, save_definition, save_value
from gstp.stats.spreadsheets import comparison_csv, comparison_xlsx
from gstp.stats.units import unit_label
from gstp.urlargs import ids_arg, page_arg, text_arg

bp.add_app_template_filter(unit_label, "stat_unit")
bp.register_blueprint(media_bp)
bp.register_blueprint(opeds_bp)
bp.register_blueprint(survey_bp)
register_nav("stats.compare", _l("Statistiques"), order=80, visible=staff)


bp.add_app_template_filter(figure_text, "stat_number")


def _comparison_from_args() -> dict:
    """The comparison asked for in the query string (editions, region)."""
    known = set(db.session.scalars(db.select(Edition.id)))
    edition_ids = [i for i in ids_arg("editions") if i in known]
    region_code = text_arg("region", max_length=2) or None
    if region_code and db.session.get(Region, region_code) is None:
        region_code = None
    return comparison_service.build_comparison(
        edition_ids=edition_ids or comparison_service.default_edition_ids(),
        region_code=region_code, locale=str(get_locale()))


@bp.route("")
@staff_required
def compare():
    """Editions side by side, with charts and the map of activities per inhabitant."""
    result = _comparison_from_args()
    return render_template(
        "stats/compare.html", comparison=result,
        # "<" escaped so no value can close the <script> block the JSON sits in.
        chart_json=json.dumps(comparison_service.chart_data(result)).replace("<", "\\u003c"),
        all_editions=db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all(),
        regions=db.session.scalars(db.select(Region).order_by(Region.code)).all(),
        selected_ids={e.id for e in result["editions"]},
        tile_url=current_app.config.get("MAP_TILE_URL", ""),
        tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""))


def _report_args() -> dict:
    """The report asked for in the query string (editions, region)."""
    result = _comparison_from_args()
    return build_report(edition_ids=[e.id for e in result["editions"]],
                        region_code=result["region_code"], locale=str(get_locale()))


@bp.route("/rapport")
@staff_required
def report():
    """The board report as a printable page."""
    data = _report_args()
    return render_template("stats/report.html", report=data, comparison=data["comparison"])


@bp.route("/rapport.pdf")
@staff_required
def report_pdf():
    """The board report as a PDF."""
    data = _report_args()
    html = render_template("stats/report_pdf.html", report=data, comparison=data["comparison"])
    name = _export_name(data["comparison"], "pdf").replace("statistiques", "rapport")
    return Response(pdf_bytes(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _export_name(result: dict, extension: str) -> str:
    years = "-".join(str(e.year) for e in result["editions"]) or "aucune"
    region = f"-region-{result['region_code']}" if result["region_code"] else ""
    return f"statistiques-{years}{region}.{extension}"


@bp.route("/export.csv")
@staff_required
def export_csv():
    """The comparison as CSV."""
    result = _comparison_from_args()
    return comparison_csv(result, _export_name(result, "csv"), str(get_locale()))


@bp.route("/export.xlsx")
@staff_required
def export_xlsx():
    """The comparison as an XLSX workbook, one sheet per table."""
    result = _comparison_from_args()
    return comparison_xlsx(result, _export_name(result, "xlsx"))


@cache
def _simplified_regions() -> str:
    """Region polygons simplified (~1 km), computed once per process."""
    source = json.loads((DATA_DIR / "regions.geojson").read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        geometry = shape(feature["geometry"]).simplify(0.01, preserve_topology=True)
        features.append({"type": "Feature", "geometry": _rounded(mapping(geometry)),
                         "properties": {"code": feature["properties"]["code"],
                                        "name": feature["properties"]["name"]}})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      separators=(",", ":"))


def _rounded(geometry: dict) -> dict:
    """Coordinates to 4 decimals (~10 m): plenty for a map of regions, far lighter."""
    def walk(value):
        if isinstance(value, tuple | list):
            if value and isinstance(value[0], float):
                return [round(v, 4) for v in value]
            return [walk(v) for v in value]
        return value
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


@bp.route("/regions.geojson")
@staff_required
def regions_geojson():
    """Simplified polygons of the 17 regions for the choropleth."""
    return Response(_simplified_regions(), mimetype="application/geo+json",
                    headers={"Cache-Control": "private, max-age=86400"})


@bp.route("/indicateurs", methods=["GET", "POST"])
@staff_required
def definitions():
    """Figures entered by staff: the list, and a form to add one."""
    form = MetricDefinitionForm()
    form.stands_for.choices = [SelectChoice("", _("Aucun"))] + [
        SelectChoice(key, str(label)) for key, label, _group in COMPUTED_METRICS]
    if form.validate_on_submit():
        if db.session.scalar(db.select(MetricDefinition).filter_by(key=form.key.data)):
            form.key.errors.append(_("Cette clé existe déjà."))
        else:
            definition, _status = save_definition(
                key=form.key.data, label_fr=form.label_fr.data, label_en=form.label_en.data,
                unit=form.unit.data, kind=MetricKind(form.kind.data),
                sort_order=form.sort_order.data, description=form.description.data,
                stands_for=form.stands_for.data, actor=current_user)
            db.session.commit()
            flash(_("Indicateur ajouté."), "success")
            return redirect(url_for("stats.values", definition_id=definition.id))
    items = db.session.scalars(db.select(MetricDefinition).order_by(
        MetricDefinition.sort_order, MetricDefinition.key)).all()
    return render_template("stats/definitions.html", form=form, definitions=items)


@bp.route("/indicateurs/<id:definition_id>", methods=["GET", "POST"])
@staff_required
def values(definition_id: int):
    """Values of one figure, edition by edition, and a form to enter or correct one."""
    definition = db.session.get(MetricDefinition, definition_id) or abort(404)
    form = MetricValueForm()
    editions = db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()
    form.edition_id.choices = [SelectChoice(e.id, str(e)) for e in editions]
    form.region_code.choices = [SelectChoice("", _("Tout le Québec"))] + [
        SelectChoice(r.code, str(r))
        for r in db.session.scalars(db.select(Region).order_by(Region.code))]
    if form.validate_on_submit():
        _row, status = save_value(
            edition=db.session.get(Edition, form.edition_id.data), definition=definition,
            value=form.value.data, region_code=form.region_code.data or None,
            breakdown=form.breakdown.data, qualifier=Qualifier(form.qualifier.data),
            note=form.note.data, source=form.source.data, actor=current_user)
        db.session.commit()
        flash({"created": _("Valeur enregistrée."), "updated": _("Valeur mise à jour."),
               "unchanged": _("Aucun changement.")}[status], "success")
        return redirect(url_for("stats.values", definition_id=definition.id))
    page = db.paginate(
        db.select(MetricValue).join(Edition).where(MetricValue.definition_id == definition.id)
        .order_by(Edition.year.desc(), MetricValue.region_code, MetricValue.breakdown),
        page=page_arg(), per_page=25, error_out=False)
    return render_template("stats/values.html", definition=definition, form=form, page=page)


@bp.route("/valeurs/<id:value_id>/supprimer", methods=["POST"])
@staff_required
def delete(value_id: int):
    """Remove an entered value."""
    value = db.session.get(MetricValue, value_id) or abort(404)
    definition_id = value.definition_id
    delete_value(value=value, actor=current_user)
    db.session.commit()
    flash(_("Valeur supprimée."), "success")
    return redirect(url_for("stats.values", definition_id=definition_id))

