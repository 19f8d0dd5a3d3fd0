"""Letters to elected officials: directory, campaigns, letters, dashboard, organizers' page."""
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.exports import csv_response
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.letters import directory, queries, services
from gstp.letters.forms import (
    LEVEL_LABELS,
    STATUS_LABELS,
    CampaignForm,
    InvitationForm,
    OfficialForm,
    StatusForm,
)
from gstp.letters.merge import MERGE_FIELDS, MergeError, render_letter
from gstp.letters.models import (
    Campaign,
    ElectedOfficial,
    Letter,
    LetterChannel,
    LetterStatus,
    OfficialLevel,
)
from gstp.navigation import organizers, register_nav, staff
from gstp.permissions import organizer_required, staff_required
from gstp.urlargs import enum_arg, flag_arg, id_arg, int_arg, page_arg, text_arg

EXPORT_ZONE = ZoneInfo("America/Toronto")
bp = Blueprint("letters", __name__, url_prefix="/lettres")
register_nav("letters.dashboard", _l("Lettres aux élus"), order=70, visible=staff)
register_nav("letters.territory", _l("Élus de mon territoire"), order=71, visible=organizers)


@bp.context_processor
def _labels():
    return {"STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
            "format_decimal": format_decimal}


def _regions() -> list[Region]:
    return list(db.session.scalars(db.select(Region).order_by(Region.name)))


def _edition_from_args() -> Edition | None:
    edition_id = id_arg("edition")
    return db.session.get(Edition, edition_id) if edition_id else current_edition()


# --- Directory ---------------------------------------------------------------------------

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
                           regions=_regions(), parties=queries.parties(), levels=OfficialLevel)


@bp.route("/elus.csv")
@staff_required
def officials_csv():
    """The filtered directory in the import format, to correct and import again."""
    filters = _directory_filters()
    query = queries.officials_query(level=filters["level"], region=filters["region"],
                                    party=filters["party"], search=filters["q"],
                                    active_only=True)
    rows = ([o.level.value, o.seat_code, o.title, o.full_name, o.party, o.email or "",
             o.postal_address, o.phone or "", o.salutation, "oui" if o.verified else "non",
             o.source] for o in db.session.scalars(query))
    return csv_response("elus.csv", directory.CSV_COLUMNS, rows)


@bp.route("/elus/<id:official_id>", methods=["GET", "POST"])
@staff_required
def edit_official(official_id: int):
    """Correct an official (e.g. check an unverified MNA and mark them verified)."""
    official = db.get_or_404(ElectedOfficial, official_id)
    form = OfficialForm(obj=official)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.OFFICIAL_FIELDS}
        services.update_official(official=official, actor=current_user, **values)
        db.session.commit()
        flash(_("Fiche de l'élu·e enregistrée."), "success")
        return redirect(url_for("letters.officials"))
    return render_template("letters/official_form.html", form=form, official=official)


# --- Campaigns ---------------------------------------------------------------------------

def _campaign_form(campaign: Campaign | None) -> CampaignForm:
    form = CampaignForm(obj=campaign)
    editions = db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()
    form.edition_id.choices = [(e.id, str(e)) for e in editions]
    form.target_region_code.choices = [("", _("Toutes les régions"))] + [
        (r.code, r.name) for r in _regions()]
    if request.method == "GET":
        if campaign is not None:
            form.signatories.data = services.signatories_text(campaign)
            form.target_level.data = campaign.target_level.value
            form.target_region_code.data = campaign.target_region_code or ""
        elif (edition := current_edition()) is not None:
            form.edition_id.data = edition.id
    return form


def _save(form: CampaignForm, campaign: Campaign | None):
    try:
        campaign = services.save_campaign(
            campaign=campaign, actor=current_user, edition_id=form.edition_id.data,
            title=form.title.data, subject=form.subject.data,
            body_template=form.body_template.data, target_level=form.target_level.data,
            target_region_code=form.target_region_code.data or None,
            only_with_activities=form.only_with_activities.data,
            signatories=form.signatories.data or "")
    except MergeError as error:
        db.session.rollback()
        form.body_template.errors.append(
            _("Le modèle contient une erreur : %(error)s", error=str(error)))
        return None
    db.session.commit()
    flash(_("Campagne enregistrée."), "success")
    return redirect(url_for("letters.campaign", campaign_id=campaign.id))


@bp.route("/campagnes/nouvelle", methods=["GET", "POST"])
@staff_required
def new_campaign():
    """Create a campaign."""
    form = _campaign_form(None)
    if form.validate_on_submit() and (response := _save(form, None)):
        return response
    return render_template("letters/campaign_form.html", form=form, campaign=None,
                           merge_fields=MERGE_FIELDS)


@bp.route("/campagnes/<id:campaign_id>/modifier", methods=["GET", "POST"])
@staff_required
def edit_campaign(campaign_id: int):
    """Edit a campaign (letters already generated keep their frozen text)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    form = _campaign_form(campaign)
    if form.validate_on_submit() and (response := _save(form, campaign)):
        return response
    return render_template("letters/campaign_form.html", form=form, campaign=campaign,
                           merge_fields=MERGE_FIELDS)


@bp.route("/campagnes/<id:campaign_id>")
@staff_required
def campaign(campaign_id: int):
    """A campaign: its targets, its letters and the actions."""
    campaign = db.get_or_404(Campaign, campaign_id)
    status = enum_arg(LetterStatus, "status")
    page = db.paginate(queries.campaign_letters(campaign.id, status=status), page=page_arg(),
                       per_page=50, error_out=False)
    return render_template("letters/campaign.html", campaign=campaign, page=page,
                           target_count=queries.target_count(campaign),
                           counts=queries.status_counts(campaign.id), status=status)


@bp.route("/campagnes/<id:campaign_id>/apercu")
@staff_required
def preview(campaign_id: int):
    """The letter rendered for one official (the first target by default)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    official_id = id_arg("official")
    official = (db.session.get(ElectedOfficial, official_id) if official_id else
                db.session.scalar(queries.targets_query(campaign).limit(1)))
    if official is None:
        flash(_("Aucun élu ne correspond aux critères de la campagne."), "warning")
        return redirect(url_for("letters.campaign", campaign_id=campaign.id))
    try:
        subject, body = render_letter(campaign, official)
    except MergeError as error:
        subject, body = "", _("Le modèle contient une erreur : %(error)s", error=str(error))
    targets = db.session.scalars(queries.targets_query(campaign).limit(200)).all()
    return render_template("letters/preview.html", campaign=campaign, official=official,
                           subject=subject, body=body, targets=targets)


@bp.route("/campagnes/<id:campaign_id>/generer", methods=["POST"])
@staff_required
def generate(campaign_id: int):
    """Freeze the letters of every target."""
    campaign = db.get_or_404(Campaign, campaign_id)
    count = services.generate_letters(campaign=campaign, actor=current_user)
    db.session.commit()
    flash(_("%(num)s lettre(s) générée(s).", num=count), "success")
    return redirect(url_for("letters.campaign", campaign_id=campaign.id))


@bp.route("/campagnes/<id:campaign_id>/envoyer", methods=["POST"])
@staff_required
def send(campaign_id: int):
    """Send the e-mail drafts through the outbox, or mark the post drafts as sent."""
    campaign = db.get_or_404(Campaign, campaign_id)
    channel = enum_arg(LetterChannel, "channel", source=request.form) or abort(400)
    count = services.send_campaign(campaign=campaign, actor=current_user, channel=channel)
    db.session.commit()
    flash(_("%(num)s lettre(s) envoyée(s).", num=count), "success")
    return redirect(url_for("letters.campaign", campaign_id=campaign.id))


@bp.route("/campagnes/<id:campaign_id>/imprimer")
@staff_required
def print_campaign(campaign_id: int):
    """Every letter to post of a campaign, one a page (?tous=1: every channel)."""
    campaign = db.get_or_404(Campaign, campaign_id)
    query = queries.campaign_letters(campaign.id)
    if not flag_arg("tous"):
        query = query.where(Letter.channel == LetterChannel.POST)
    return render_template("letters/print.html", letters=db.session.scalars(query).all(),
                           campaign=campaign)


# --- Letters -----------------------------------------------------------------------------

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
    return render_template("letters/letter.html", letter=letter, form=form)


@bp.route("/lettre/<id:letter_id>/envoyer", methods=["POST"])
@staff_required
def send_letter(letter_id: int):
    """Send one draft by e-mail, or mark it sent by post."""
    letter = db.get_or_404(Letter, letter_id)
    try:
        if request.form.get("channel") == LetterChannel.EMAIL.value:
            services.send_by_email(letter=letter, actor=current_user)
        else:
            services.mark_sent_by_post(letter=letter, actor=current_user)
    except services.IllegalTransition:
        flash(_("Cette lettre ne peut pas être envoyée."), "error")
        return redirect(url_for("letters.letter", letter_id=letter.id))
    db.session.commit()
    flash(_("Lettre envoyée."), "success")
    return redirect(url_for("letters.letter", letter_id=letter.id))


@bp.route("/lettre/<id:letter_id>/imprimer")
@staff_required
def print_letter(letter_id: int):
    """One letter, ready to print."""
    letter = db.get_or_404(Letter, letter_id)
    return render_template("letters/print.html", letters=[letter], campaign=letter.campaign)


# --- Dashboard ---------------------------------------------------------------------------

@bp.route("/")
@staff_required
def dashboard():
    """Campaigns of the edition, coverage and answer rates, follow-ups due."""
    edition = _edition_from_args()
    days = int_arg("jours", default=21, minimum=1, maximum=365)
    editions = db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()
    campaigns = db.session.scalars(db.select(Campaign).where(
        Campaign.edition_id == (edition.id if edition else None)).order_by(Campaign.id)).all()
    return render_template(
        "letters/dashboard.html", edition=edition, editions=editions, campaigns=campaigns,
        days=days, coverage=queries.coverage(edition.id) if edition else None,
        follow_ups=queries.follow_ups_due(edition.id, days=days) if edition else [])


def _export_row(letter: Letter) -> list:
    official = letter.official
    dates = [d.astimezone(EXPORT_ZONE).date().isoformat() if d else "" for d in
             (letter.sent_at, letter.answered_at, letter.meeting_at, letter.attended_at)]
    return [letter.campaign.title, official.level.value, official.full_name, official.title,
            official.territory_name, official.region.name if official.region else "",
            official.party, letter.channel.value, letter.status.value, *dates,
            letter.notes, letter.answer_text]


@bp.route("/export.csv")
@staff_required
def export():
    """The letters of an edition as CSV."""
    edition = _edition_from_args()
    if edition is None:
        abort(404)
    header = ["campagne", "niveau", "élu", "titre", "territoire", "région", "parti", "canal",
              "statut", "envoyée", "réponse", "rencontre", "présence", "notes", "réponse (texte)"]
    rows = (_export_row(letter) for letter in queries.export_rows(edition.id))
    return csv_response(f"lettres-elus-{edition.year}.csv", header, rows)


# --- Organizers --------------------------------------------------------------------------

@bp.route("/mon-territoire", methods=["GET", "POST"])
@organizer_required
def territory():
    """Officials of the organization's territory written to this edition; invitations."""
    organization = current_user.organization
    edition = current_edition()
    if organization is None or edition is None:
        return render_template("letters/territory.html", organization=organization,
                               officials=[], letters={}, invited=set(), form=None)
    officials = queries.territory_officials(organization)
    activities = queries.organization_activities(organization.id, edition.id)
    form = InvitationForm()
    form.activity_id.choices = [(a.id, a.title) for a in activities]
    if form.validate_on_submit():
        official = next((o for o in officials if o.id == form.official_id.data), None)
        activity = next((a for a in activities if a.id == form.activity_id.data), None)
        if official is None or activity is None:
            abort(403)
        try:
            services.invite_official(official=official, activity=activity, actor=current_user)
        except services.AlreadyInvited:
            flash(_("Cet élu est déjà invité à cette activité."), "warning")
        except ValueError:
            flash(_("Cet élu n'a pas d'adresse courriel connue."), "error")
        else:
            db.session.commit()
            flash(_("Invitation envoyée."), "success")
        return redirect(url_for("letters.territory"))
    invited = queries.invited_pairs([a.id for a in activities])
    return render_template(
        "letters/territory.html", organization=organization, officials=officials, form=form,
        letters=queries.letters_for_officials([o.id for o in officials], edition.id),
        activities=activities, invited=invited, edition=edition)
