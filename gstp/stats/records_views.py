"""Staff pages of the records figures are computed from: media log, op-eds, survey."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from gstp.activities import survey
from gstp.activities.survey import SurveyQuestion
from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.letters.services import signatories_text
from gstp.permissions import staff_required
from gstp.stats import media, opeds
from gstp.stats.forms import MediaImportForm, MediaResultForm, OpEdForm, SurveyQuestionForm
from gstp.stats.models import MediaResult, OpEd
from gstp.urlargs import id_arg, page_arg

media_bp = Blueprint("media", __name__, url_prefix="/medias")
opeds_bp = Blueprint("opeds", __name__, url_prefix="/lettres-ouvertes")
survey_bp = Blueprint("survey", __name__, url_prefix="/sondage")
PER_PAGE = 50


def _edition() -> Edition | None:
    """The edition asked for (?edition=), else the current one."""
    edition_id = id_arg("edition")
    if edition_id:
        return db.session.get(Edition, edition_id) or abort(404)
    return current_edition()


def _editions() -> list[Edition]:
    return db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()


def _result_form() -> MediaResultForm:
    form = MediaResultForm(prefix="result")
    form.region_code.choices = [SelectChoice("", _("Tout le Québec"))] + [
        SelectChoice(r.code, str(r))
        for r in db.session.scalars(db.select(Region).order_by(Region.code))]
    return form


def _media_page(edition, form, upload, status=200):
    page = db.paginate(
        db.select(MediaResult).where(MediaResult.edition_id == getattr(edition, "id", None))
        .order_by(MediaResult.published_on.desc(), MediaResult.id.desc()),
        page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("stats/media.html", edition=edition, editions=_editions(),
                           form=form, upload=upload, page=page,
                           columns=media.CSV_COLUMNS), status


@media_bp.route("")
@staff_required
def results():
    """The media results of an edition, a form to add one and a CSV import."""
    return _media_page(_edition(), _result_form(), MediaImportForm(prefix="import"))


@media_bp.route("", methods=["POST"])
@staff_required
def add():
    """Log one media result, in the edition of its date."""
    form = _result_form()
    if not form.validate():
        return _media_page(_edition(), form, MediaImportForm(prefix="import"), 400)
    added = media.add_result(
        actor=current_user, published_on=form.published_on.data, outlet=form.outlet.data,
        title=form.title.data, url=form.url.data or "", reach=form.reach.data,
        names_gstp=form.names_gstp.data, names_partner=form.names_partner.data,
        region_code=form.region_code.data or None)
    db.session.commit()
    flash(_("Résultat médiatique ajouté."), "success")
    return redirect(url_for("stats.media.results", edition=added.edition_id))


@media_bp.route("/import", methods=["POST"])
@staff_required
def import_csv():
    """Add the results of a CSV press review; a faulty file adds nothing."""
    upload = MediaImportForm(prefix="import")
    if upload.validate():
        try:
            rows = media.parse_media_csv(upload.file.data.read())
        except media.MediaImportError as error:
            upload.file.errors.append(str(error))
        else:
            counts = media.import_results(rows=rows, actor=current_user)
            db.session.commit()
            flash(_("Import : %(created)s résultats ajoutés, %(unchanged)s déjà présents.",
                    **counts), "success")
            edition = media.edition_of(rows[0]["published_on"]) if rows else _edition()
            return redirect(url_for("stats.media.results", edition=getattr(edition, "id", None)))
    return _media_page(_edition(), _result_form(), upload, 400)


@media_bp.route("/<id:result_id>/supprimer", methods=["POST"])
@staff_required
def delete(result_id: int):
    """Remove a result logged by mistake."""
    result = db.session.get(MediaResult, result_id) or abort(404)
    edition_id = result.edition_id
    media.delete_result(result=result, actor=current_user)
    db.session.commit()
    flash(_("Résultat médiatique supprimé."), "success")
    return redirect(url_for("stats.media.results", edition=edition_id))


@opeds_bp.route("")
@staff_required
def index():
    """Op-eds of every edition, newest first."""
    items = db.session.scalars(db.select(OpEd).order_by(OpEd.published_on.desc())).all()
    return render_template("stats/opeds.html", opeds=items)


@opeds_bp.route("/nouvelle", methods=["GET", "POST"], defaults={"op_ed_id": None})
@opeds_bp.route("/<id:op_ed_id>", methods=["GET", "POST"])
@staff_required
def edit(op_ed_id: int | None):
    """Create or correct an op-ed, its outlets and signatories."""
    op_ed = db.session.get(OpEd, op_ed_id) or abort(404) if op_ed_id else None
    form = OpEdForm(obj=op_ed)
    if request.method == "GET" and op_ed is not None:
        # The same one-a-line form as a letter campaign's signatories.
        form.signatories.data = signatories_text(op_ed)
    if form.validate_on_submit():
        opeds.save_op_ed(op_ed=op_ed, actor=current_user, title=form.title.data,
                         published_on=form.published_on.data, outlets=form.outlets.data,
                         signatories=form.signatories.data)
        db.session.commit()
        flash(_("Lettre ouverte enregistrée."), "success")
        return redirect(url_for("stats.opeds.index"))
    return render_template("stats/oped_form.html", form=form, op_ed=op_ed)


@opeds_bp.route("/<id:op_ed_id>/supprimer", methods=["POST"])
@staff_required
def delete_op_ed(op_ed_id: int):
    """Remove an op-ed."""
    op_ed = db.session.get(OpEd, op_ed_id) or abort(404)
    opeds.delete_op_ed(op_ed=op_ed, actor=current_user)
    db.session.commit()
    flash(_("Lettre ouverte supprimée."), "success")
    return redirect(url_for("stats.opeds.index"))


@survey_bp.route("", methods=["GET", "POST"])
@staff_required
def questions():
    """The edition's survey questions: add one, or ask again those of an earlier edition."""
    edition = _edition() or abort(404)
    form = SurveyQuestionForm()
    if form.validate_on_submit():
        survey.add_question(edition=edition, text_fr=form.text_fr.data,
                            text_en=form.text_en.data, actor=current_user)
        db.session.commit()
        flash(_("Question ajoutée."), "success")
        return redirect(url_for("stats.survey.questions", edition=edition.id))
    earlier = db.session.scalars(db.select(Edition).where(Edition.year < edition.year)
                                 .order_by(Edition.year.desc())).all()
    return render_template("stats/survey.html", edition=edition, editions=_editions(),
                           form=form, questions=survey.questions_for(edition.id),
                           earlier=earlier)


@survey_bp.route("/copier", methods=["POST"])
@staff_required
def copy():
    """Ask again in this edition the questions of an earlier one."""
    edition = _edition() or abort(404)
    source = db.session.get(Edition, id_arg("source", source=request.form) or 0) or abort(400)
    count = survey.copy_questions(source=source, target=edition, actor=current_user)
    db.session.commit()
    flash(_("%(num)s question(s) reprise(s).", num=count), "success")
    return redirect(url_for("stats.survey.questions", edition=edition.id))


@survey_bp.route("/<id:question_id>/supprimer", methods=["POST"])
@staff_required
def delete_question(question_id: int):
    """Remove a question and its answers."""
    question = db.session.get(SurveyQuestion, question_id) or abort(404)
    edition_id = question.edition_id
    survey.delete_question(question=question, actor=current_user)
    db.session.commit()
    flash(_("Question supprimée."), "success")
    return redirect(url_for("stats.survey.questions", edition=edition_id))
