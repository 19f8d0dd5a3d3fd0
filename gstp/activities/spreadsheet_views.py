"""« Importer un fichier » on « Mes activités »: templates, upload, preview, confirmation."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy.exc import IntegrityError

from gstp.activities import spreadsheet_import as imports
from gstp.activities.labels import AUDIENCE_LABELS, CATEGORY_LABELS
from gstp.activities.spreadsheet import COLUMNS, MAX_BYTES, MAX_ROWS, SpreadsheetError
from gstp.activities.spreadsheet import read_spreadsheet as read_file
from gstp.editions.services import Registration, current_edition, registration
from gstp.extensions import db
from gstp.forms import BaseForm
from gstp.geo.models import Region
from gstp.organizations.models import Organization
from gstp.permissions import organizer_required
from gstp.security.ratelimit import rate_limit
from gstp.security.uploads import allow_large_body
from gstp.urlargs import flag_arg

bp = Blueprint("imports", __name__, url_prefix="/mes-activites/importer")
allow_large_body("imports.upload", MAX_BYTES + 64 * 1024)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(BaseForm):
    """The filled-in template."""

    file = FileField(render_kw={"accept": ".xlsx,.csv"})


def _context():
    """The open edition and the person's organization, or a page saying why not."""
    edition = current_edition()
    organization = (db.session.get(Organization, current_user.organization_id)
                    if current_user.organization_id else None)
    if edition is None or organization is None:
        abort(404)
    if registration(edition) is not Registration.OPEN and not current_user.is_staff:
        return edition, organization, render_template(
            "activities/registration_closed.html", edition=edition,
            registration=registration(edition))
    return edition, organization, None


def _page(form, **context):
    return render_template("activities/import.html", form=form, columns=COLUMNS,
                           max_rows=MAX_ROWS, category_labels=CATEGORY_LABELS,
                           audience_labels=AUDIENCE_LABELS, **context)


@bp.route("", methods=["GET"])
@organizer_required
def index():
    """Download the template, upload it filled in."""
    edition, _organization, closed = _context()
    return closed or _page(UploadForm(), edition=edition)


@bp.route("/modele.<any(xlsx, csv):kind>")
@organizer_required
def template(kind: str):
    """The template, French headers by default, English ones with ?en=1."""
    edition = current_edition()
    if edition is None:
        abort(404)
    english = flag_arg("en")
    name = f"{'activities' if english else 'activites'}-{edition.year}.{kind}"
    if kind == "xlsx":
        body, mimetype = imports.template_xlsx(edition, english=english), XLSX
    else:
        body, mimetype = imports.template_csv(edition, english=english), "text/csv"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("", methods=["POST"])
@rate_limit("import", per_hour=60, key="user")
@organizer_required
def upload():
    """Read the file and show every row; nothing is saved yet."""
    edition, organization, closed = _context()
    if closed:
        return closed
    form = UploadForm()
    sent = request.files.get("file")
    if not form.validate_on_submit() or sent is None or not sent.filename:
        form.file.errors = [_("Choisissez le fichier à importer.")]
        return _page(form, edition=edition), 400
    try:
        rows = read_file(sent.filename, sent.read(MAX_BYTES + 1))
    except SpreadsheetError as error:
        form.file.errors = [str(error.args[0])]
        return _page(form, edition=edition), 400
    checked = imports.check_rows(rows, edition=edition, organization_id=organization.id)
    token = imports.keep_pending(user_id=current_user.id, filename=sent.filename, rows=rows)
    db.session.rollback()  # nothing of the check may stay in the session
    return render_template("activities/import_preview.html", rows=checked, token=token,
                           columns=COLUMNS, edition=edition, form=BaseForm(),
                           valid=sum(1 for r in checked if r.valid),
                           regions=dict(db.session.execute(db.select(Region.code, Region.name))
                                        .all()))


@bp.route("/confirmer", methods=["POST"])
@organizer_required
def confirm():
    """Submit every valid row of the previewed file, all in one transaction."""
    edition, organization, closed = _context()
    if closed:
        return closed
    token = request.form.get("token", "")[:64]
    pending = imports.read_pending(user_id=current_user.id, token=token)
    if not BaseForm().validate_on_submit() or pending is None:
        flash(_("Cet import n'est plus disponible : envoyez le fichier de nouveau."), "error")
        return redirect(url_for("imports.index"))
    rows = imports.check_rows(pending["rows"], edition=edition, organization_id=organization.id)
    try:
        created = imports.submit_rows(rows=rows, organization=organization, edition=edition,
                                      actor=current_user, token=token,
                                      filename=pending["filename"])
        db.session.commit()
    except IntegrityError:  # confirmed twice at the same moment: the first one saved them
        db.session.rollback()
        created = []
    imports.forget_pending(user_id=current_user.id, token=token)
    flash(ngettext("%(num)d activité envoyée : l'équipe la vérifiera avant de la publier.",
                   "%(num)d activités envoyées : l'équipe les vérifiera avant de les publier.",
                   len(created)), "success")
    return redirect(url_for("activities.dashboard"))
