"""CSV files staff upload for an import: read, reviewed as a change report, posted back to
confirm (the confirmation imports exactly the text that was reviewed)."""
from flask import request
from flask_babel import gettext as _


class UploadError(ValueError):
    """No file, or not UTF-8 text."""


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
