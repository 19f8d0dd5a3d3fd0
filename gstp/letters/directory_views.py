"""Directory pages: officials, staff corrections, import conflicts (routes on letters.bp)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from gstp.exports import csv_response
from gstp.extensions import db
from gstp.letters import conflicts, directory, queries, services
from gstp.letters.blueprint import bp
from gstp.letters.forms import OfficialForm
from gstp.letters.models import ElectedOfficial, OfficialConflict, OfficialLevel
from gstp.letters.sources import CONTACT_FIELDS, source_of
from gstp.permissions import staff_required
from gstp.security.uploads import allow_large_body
from gstp.uploads import import_page
from gstp.urlargs import enum_arg, page_arg, text_arg


def _directory_filters() -> dict:
    """The directory filters of the query string (None where not given)."""
    return {"level": enum_arg(OfficialLevel, "level"),
            "region": text_arg("region", max_length=2) or None,
            "party": text_arg("party", max_length=100) or None,
            "q": text_arg("q", max_length=100) or None}


@bp.route("/elus")
@staff_required
def officials():
    """Directory of elected officials with filters."""
    filters = _directory_filters()
    query = queries.officials_query(level=filters["level"], region=filters["region"],
                                    party=filters["party"], search=filters["q"])
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    return render_template("letters/officials.html", page=page, filters=filters,
                           regions=queries.regions(), parties=queries.parties(),
                           levels=OfficialLevel,
                           conflict_count=conflicts.conflict_count(),
                           mna_without_email=queries.mna_without_email())


@bp.route("/elus.csv")
@staff_required
def officials_csv():
    """The filtered directory in the import format, to correct and import again."""
    filters = _directory_filters()
    query = queries.officials_query(level=filters["level"], region=filters["region"],
                                    party=filters["party"], search=filters["q"],
                                    active_only=True)
    rows = (directory.export_row(o) for o in db.session.scalars(query))
    return csv_response("elus.csv", directory.CSV_COLUMNS, rows)


@bp.route("/elus/<id:official_id>", methods=["GET", "POST"])
@staff_required
def edit_official(official_id: int):
    """Correct an official: every field staff change becomes a verified value."""
    official = db.get_or_404(ElectedOfficial, official_id)
    form = OfficialForm(obj=official)
    if request.method == "GET":
        for name, source in (official.contact_sources or {}).items():
            if name in CONTACT_FIELDS:
                getattr(form, f"{name}_source").data = source
    if form.validate_on_submit():
        # Saving the form confirms the civility, whether it was proposed or chosen.
        values = {name: getattr(form, name).data for name in services.OFFICIAL_FIELDS
                  if name not in ("civility_guessed", "contact_sources")} | {
                      "civility_guessed": False, "contact_sources": form.contact_sources()}
        services.update_official(official=official, actor=current_user, **values)
        db.session.commit()
        flash(_("Fiche de l'élu·e enregistrée."), "success")
        return redirect(url_for("letters.officials"))
    return render_template("letters/official_form.html", form=form, official=official,
                           source_of=source_of)


@bp.route("/elus/conflits")
@staff_required
def official_conflicts():
    """Staff values an import disagreed with, to keep or replace one by one."""
    return render_template("letters/conflicts.html", conflicts=conflicts.open_conflicts())


@bp.route("/elus/conflits/<id:conflict_id>", methods=["POST"])
@staff_required
def resolve_conflict(conflict_id: int):
    """Keep the staff value (choice=staff) or take the file's (choice=file)."""
    conflict = db.get_or_404(OfficialConflict, conflict_id)
    choice = request.form.get("choice")
    if choice not in ("staff", "file"):
        abort(400)
    conflicts.resolve_conflict(conflict=conflict, take_file_value=choice == "file",
                               actor=current_user)
    db.session.commit()
    flash(_("Conflit résolu."), "success")
    return redirect(url_for("letters.official_conflicts"))


# The whole province (about 8,000 seats, 1.5 MB) in one file, and its text posted back.
IMPORT_LIMIT = 4 * 1024 * 1024
allow_large_body("letters.import_officials", IMPORT_LIMIT, form_memory=IMPORT_LIMIT)


@bp.route("/elus/import", methods=["GET", "POST"])
@staff_required
def import_officials():
    """Upload an officials CSV, review the change report, then confirm the import."""
    keep_missing = bool(request.form.get("keep_missing"))

    def run(*, text: str, filename: str, confirmed: bool):
        return directory.import_upload(text=text, filename=filename, keep_missing=keep_missing,
                                       actor=current_user, journal=confirmed)

    return import_page(
        run=run, errors=(directory.OfficialsFileError,), template="letters/import.html",
        done_url=url_for("letters.officials"), columns=directory.CSV_COLUMNS,
        keep_missing=keep_missing,
        done_message=lambda report: _(
            "Import enregistré : %(added)s ajoutés, %(updated)s mis à jour, "
            "%(conflicts)s conflits, %(deactivated)s désactivés.", **report.summary()))
