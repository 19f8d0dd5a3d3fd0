"""Staff page of the outbox: what is waiting, what failed, and a retry button."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.queries import outbox_counts, outbox_page
from gstp.mail.worker import retry_now
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required

bp = Blueprint("mail", __name__, url_prefix="/equipe/courriels")

register_nav("mail.outbox", _l("Courriels"), order=95, visible=staff)

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("En attente"),
    OutboxStatus.SENT: _l("Envoyé"),
    OutboxStatus.FAILED: _l("Échec"),
}


@bp.route("/")
@staff_required
def outbox():
    """List the outbox, pending and failed first by default."""
    raw = request.args.get("statut", "")
    try:
        status = OutboxStatus(raw) if raw else None
    except ValueError:
        abort(404)
    page = outbox_page(status=status, page=request.args.get("page", 1, type=int))
    return render_template("mail/outbox.html", page=page, counts=outbox_counts(),
                           status=status, labels=STATUS_LABELS)


@bp.route("/<int:message_id>/reessayer", methods=["POST"])
@staff_required
def retry(message_id: int):
    """Queue a message again at once (after fixing the SMTP settings, for example)."""
    row = db.get_or_404(OutboxMessage, message_id)
    if row.status is OutboxStatus.SENT:
        abort(409)
    retry_now(row=row)
    record_audit(actor=current_user, action="outbox.retry", target=row)
    db.session.commit()
    flash(_("Le courriel sera renvoyé au prochain passage du service d'envoi."), "success")
    return redirect(url_for("mail.outbox", statut=request.args.get("statut", "")))
