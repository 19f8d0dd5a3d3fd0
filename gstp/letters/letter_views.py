"""Letter pages: one letter and its follow-up, sending one, printing and the PDF
(routes on letters.bp)."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from gstp.db import utcnow
from gstp.extensions import db
from gstp.letters import queries, services
from gstp.letters.blueprint import bp
from gstp.letters.forms import STATUS_LABELS, StatusForm
from gstp.letters.models import Campaign, Letter, LetterChannel, LetterStatus
from gstp.letters.pdf import letters_pdf
from gstp.mail.models import OutboxMessage
from gstp.mail.views import STATUS_LABELS as DELIVERY_LABELS
from gstp.permissions import staff_required
from gstp.urlargs import flag_arg


def _letters_to_print(campaign: Campaign) -> list[Letter]:
    """The campaign's letters to post (?tous=1: every channel)."""
    query = queries.campaign_letters(campaign.id)
    if not flag_arg("tous"):
        query = query.where(Letter.channel == LetterChannel.POST)
    return list(db.session.scalars(query))


@bp.route("/campagnes/<id:campaign_id>/imprimer")
@staff_required
def print_campaign(campaign_id: int):
    """Every letter to post of a campaign, one a page."""
    campaign = db.get_or_404(Campaign, campaign_id)
    return render_template("letters/print.html", letters=_letters_to_print(campaign),
                           campaign=campaign, day=utcnow())


@bp.route("/campagnes/<id:campaign_id>/lettres.pdf")
@staff_required
def campaign_pdf(campaign_id: int):
    """The same letters as the print view, one PDF file for the campaign."""
    campaign = db.get_or_404(Campaign, campaign_id)
    document = letters_pdf(campaign=campaign, letters=_letters_to_print(campaign), day=utcnow())
    return Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="lettres-campagne-{campaign.id}.pdf"'})


@bp.route("/lettre/<id:letter_id>", methods=["GET", "POST"])
@staff_required
def letter(letter_id: int):
    """One letter: its text, status history, notes and answer."""
    letter = db.get_or_404(Letter, letter_id)
    form = StatusForm(obj=letter)
    form.status.choices = [("", _("(statut inchangé)"))] + [
        (s.value, STATUS_LABELS[s]) for s in services.TRANSITIONS[letter.status]]
    if form.validate_on_submit():
        if form.status.data:
            try:
                services.change_status(letter=letter, status=LetterStatus(form.status.data),
                                       actor=current_user, notes=form.notes.data,
                                       answer_text=form.answer_text.data)
            except (ValueError, services.IllegalTransition):
                abort(400)
        else:
            services.update_letter_notes(letter=letter, actor=current_user,
                                         notes=form.notes.data, answer_text=form.answer_text.data)
        db.session.commit()
        flash(_("Lettre mise à jour."), "success")
        return redirect(url_for("letters.letter", letter_id=letter.id))
    # A letter is "sent" once queued: its e-mail's own state says whether it left.
    message = (db.session.get(OutboxMessage, letter.outbox_message_id)
               if letter.outbox_message_id else None)
    return render_template("letters/letter.html", letter=letter, form=form, message=message,
                           delivery_labels=DELIVERY_LABELS)


@bp.route("/lettre/<id:letter_id>/envoyer", methods=["POST"])
@staff_required
def send_letter(letter_id: int):
    """Send one draft by e-mail, or mark it sent by post."""
    letter = db.get_or_404(Letter, letter_id)
    by_email = request.form.get("channel") == LetterChannel.EMAIL.value
    try:
        if by_email:
            services.send_by_email(letter=letter, actor=current_user)
        else:
            services.mark_sent_by_post(letter=letter, actor=current_user)
    except services.IllegalTransition:
        flash(_("Cette lettre ne peut pas être envoyée."), "error")
        return redirect(url_for("letters.letter", letter_id=letter.id))
    db.session.commit()
    # An e-mail is only queued here: the page shows whether it has left yet.
    flash(_("Lettre mise en file d'envoi par courriel : l'état du courriel est indiqué "
            "sur cette page.") if by_email else _("Lettre marquée comme envoyée par la poste."),
          "success")
    return redirect(url_for("letters.letter", letter_id=letter.id))


@bp.route("/lettre/<id:letter_id>/imprimer")
@staff_required
def print_letter(letter_id: int):
    """One letter, ready to print."""
    letter = db.get_or_404(Letter, letter_id)
    return render_template("letters/print.html", letters=[letter], campaign=letter.campaign,
                           day=utcnow())
