"""CSV imports from the web: upload, review the change report, confirm the reviewed text.

The review runs the real import and rolls it back, so the report is exactly what the
confirmation will do; the confirmation posts back the reviewed text, not a new upload.
"""
from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from gstp.extensions import db


class UploadError(ValueError):
    """No file, or not UTF-8 text."""


class ImportTarget:
    """Journal target of a whole-file import (it changes many rows, not one)."""

    def __init__(self, table: str):
        self.__tablename__, self.id = table, None


def uploaded_text(field: str = "fichier") -> tuple[str, str]:
    """(file name, text) of the uploaded file, else of the reviewed text posted back."""
    upload = request.files.get(field)
    if upload is not None and upload.filename:
        name, raw = upload.filename, upload.read()
    else:
        name, raw = request.form.get("filename", ""), request.form.get("content", "").encode()
    if not raw.strip():
        raise UploadError(_("Choisissez un fichier CSV."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(_("Le fichier doit être un CSV enregistré en UTF-8.")) from None
    # Only the base name is kept: it is shown back and journalled, never used as a path.
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200], text


def import_page(*, run: Callable, errors: tuple, template: str, done_url: str,
                done_message: Callable, **context):
    """GET: the upload form. POST: review (import, report, roll back) or, confirmed, import,
    commit and redirect. run(text=, filename=, confirmed=) returns the report."""
    if request.method == "GET":
        return render_template(template, report=None, **context)
    try:
        filename, text = uploaded_text()
        confirmed = request.form.get("confirm") == "1"
        report = run(text=text, filename=filename, confirmed=confirmed)
    except (UploadError, *errors) as error:
        db.session.rollback()
        flash(str(error), "error")
        return render_template(template, report=None, **context), 400
    if confirmed:
        db.session.commit()
        flash(done_message(report), "success")
        return redirect(done_url)
    db.session.rollback()
    return render_template(template, report=report, text=text, filename=filename, **context)
