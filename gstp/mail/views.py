"""The outbox pages: what is waiting, what failed, a retry button, and each message to read.

Staff read them; in the local demo (MAIL_OUTBOX_OPEN) anyone does, like a letter opener,
since no mail server is there to deliver them.
"""
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.queries import outbox_counts, outbox_page
from gstp.mail.reading import html_document, linked_text
from gstp.mail.worker import retry_now
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.urlargs import enum_arg, page_arg

bp = Blueprint("mail", __name__, url_prefix="/equipe/courriels")

register_nav("mail.outbox", _l("Courriels"), order=95, visible=staff)

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("En attente"),
    OutboxStatus.SENT: _l("Envoyé"),
    OutboxStatus.FAILED: _l("Échec"),
}


def outbox_reader_required(view):
    """Staff only, unless the outbox is open to everyone (local demo without a mail server)."""
    staff_view = staff_required(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_app.config.get("MAIL_OUTBOX_OPEN"):
            return view(*args, **kwargs)
        return staff_view(*args, **kwargs)
    return wrapped


@bp.route("/")
@outbox_reader_required
def outbox():
    """List the outbox, pending and failed first by default."""
    status = enum_arg(OutboxStatus, "statut")
    page = outbox_page(status=status, page=page_arg())
    return render_template("mail/outbox.html", page=page, counts=outbox_counts(),
                           status=status, labels=STATUS_LABELS)


@bp.route("/<id:message_id>")
@outbox_reader_required
def message(message_id: int):
    """One message as its recipient will read it: text with clickable links, HTML sandboxed."""
    row = db.get_or_404(OutboxMessage, message_id)
    return render_template("mail/message.html", row=row, labels=STATUS_LABELS,
                           text=linked_text(row.body_text), html_doc=html_document(row.body_html))


@bp.route("/<id:message_id>/reessayer", methods=["POST"])
@staff_required
def retry(message_id: int):
    """Queue a message again at once (after fixing the SMTP settings, for example)."""
    status = enum_arg(OutboxStatus, "statut")  # the list to go back to; junk changes nothing
    row = db.get_or_404(OutboxMessage, message_id)
    if row.status is OutboxStatus.SENT:
        abort(409)
    retry_now(row=row)
    record_audit(actor=current_user, action="outbox.retry", target=row)
    db.session.commit()
    flash(_("Le courriel sera renvoyé au prochain passage du service d'envoi."), "success")
    return redirect(url_for("mail.outbox", statut=status.value if status else None))
