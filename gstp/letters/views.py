"""Letters to elected officials: directory, campaigns, letters, dashboard, organizers' page."""
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import gstp.letters.directory_views  # noqa: F401 - registers the directory routes on bp
import gstp.letters.letter_views  # noqa: F401 - registers the letter routes on bp
from gstp.editions.models import Edition
from gstp.editions.services import current_edition
from gstp.exports import csv_response
from gstp.extensions import db
from gstp.geo.models import Mrc, Municipality
from gstp.geo.reference import LOCAL_DESIGNATION_CODES
from gstp.letters import letter_figures, postal, queries, services, territory_queries
from gstp.letters.blueprint import bp
from gstp.letters.civility import title_for
from gstp.letters.forms import (
    CHANNEL_LABELS,
    CIVILITY_LABELS,
    FIELD_LABELS,
    LEVEL_LABELS,
    MUNICIPAL_TARGET_LABELS,
    STATUS_LABELS,
    CampaignForm,
    InvitationForm,
)
from gstp.letters.merge import MERGE_FIELDS, MergeError, render_letter, undistricted_count
from gstp.letters.models import (
    Campaign,
    ElectedOfficial,
    Letter,
    LetterChannel,
    LetterStatus,
)
from gstp.navigation import organizers, register_nav, staff
from gstp.permissions import organizer_required, staff_required
from gstp.urlargs import enum_arg, id_arg, int_arg, page_arg

EXPORT_ZONE = ZoneInfo("America/Toronto")
register_nav("letters.dashboard", _l("Lettres aux élus"), order=70, visible=staff)
register_nav("letters.territory", _l("Élus de mon territoire"), order=71, visible=organizers)


@bp.context_processor
def _labels():
    return {"STATUS_LABELS": STATUS_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
            "CIVILITY_LABELS": CIVILITY_LABELS, "CHANNEL_LABELS": CHANNEL_LABELS,
            "FIELD_LABELS": FIELD_LABELS, "format_decimal": format_decimal,
            "MUNICIPAL_TARGET_LABELS": MUNICIPAL_TARGET_LABELS,
            "title_for": title_for, "address_block": postal.address_block,
            "letter_date": postal.letter_date, "signs_in_body": postal.signs_in_body,
            "SUBJECT_LABEL": postal.SUBJECT_LABEL, "is_unverified": queries.is_unverified}


def _edition_from_args() -> Edition | None:
    edition_id = id_arg("edition")
    return db.session.get(Edition, edition_id) if edition_id else current_edition()


# --- Campaigns ---------------------------------------------------------------------------

def _campaign_form(campaign: Campaign | None) -> CampaignForm:
    form = CampaignForm(obj=campaign)
    editions = db.session.scalars(db.select(Edition).order_by(Edition.year.desc())).all()
    form.edition_id.choices = [(e.id, str(e)) for e in editions]
    form.target_region_code.choices = [("", _("Toutes les régions"))] + [
        (r.code, r.name) for r in queries.regions()]
    form.target_mrc_code.choices = [("", _("Toutes les MRC"))] + [
        (m.code, m.name) for m in db.session.scalars(db.select(Mrc).order_by(Mrc.name))]
    form.target_municipality_code.choices = [("", _("Toutes les municipalités"))] + [
        (m.code, f"{m.name} ({m.code})") for m in db.session.scalars(
            db.select(Municipality).where(Municipality.designation_code.in_(
                sorted(LOCAL_DESIGNATION_CODES))).order_by(Municipality.name))]
    if request.method == "GET":
        if campaign is not None:
            form.signatories.data = services.signatories_text(campaign)
            form.target_level.data = campaign.target_level.value
            form.language.data = campaign.language.value
            form.target_region_code.data = campaign.target_region_code or ""
            form.target_mrc_code.data = campaign.target_mrc_code or ""
            form.target_municipality_code.data = campaign.target_municipality_code or ""
            form.municipal_roles.data = campaign.municipal_roles.value
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
            signatories=form.signatories.data or "", language=form.language.data,
            municipal_roles=form.municipal_roles.data,
            target_mrc_code=form.target_mrc_code.data or None,
            target_municipality_code=form.target_municipality_code.data or None)
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
                           unverified=queries.unverified_targets(campaign),
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
                           subject=subject, body=body, targets=targets,
                           undistricted=undistricted_count(official, campaign.edition_id))


@bp.route("/campagnes/<id:campaign_id>/generer", methods=["POST"])
@staff_required
def generate(campaign_id: int):
    """Freeze the letters of every target."""
    campaign = db.get_or_404(Campaign, campaign_id)
    count = services.generate_letters(campaign=campaign, actor=current_user)
    db.session.commit()
    flash(_("%(num)s lettre(s) générée(s).", num=count), "success")
    return redirect(url_for("letters.campaign", campaign_id=campaign.id))


@bp.route("/campagnes/<id:campaign_id>/envoyer", methods=["GET", "POST"])
@staff_required
def send(campaign_id: int):
    """Confirm with the counts, then send the e-mail drafts or mark the post drafts sent."""
    campaign = db.get_or_404(Campaign, campaign_id)
    channel = enum_arg(LetterChannel, "channel", source=request.values) or abort(400)
    if request.method == "GET" or request.form.get("confirm") != "1":
        return render_template("letters/send_confirm.html", campaign=campaign, channel=channel,
                               summary=queries.send_summary(campaign.id),
                               unverified=queries.unverified_drafts(campaign.id))
    count = services.send_campaign(campaign=campaign, actor=current_user, channel=channel)
    db.session.commit()
    flash(_("%(num)s lettre(s) envoyée(s).", num=count), "success")
    return redirect(url_for("letters.campaign", campaign_id=campaign.id))


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
    coverage = letter_figures.coverage(edition.id) if edition else None
    return render_template(
        "letters/dashboard.html", edition=edition, editions=editions, campaigns=campaigns,
        days=days, coverage=coverage,
        map_rates={row["key"]: row["rate"] for row in (coverage or {}).get("region", [])
                   if row["key"] and row["officials"]},
        tile_url=current_app.config.get("MAP_TILE_URL", ""),
        tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
        follow_ups=queries.follow_ups_due(edition.id, days=days) if edition else [])


def _export_row(letter: Letter) -> list:
    official = letter.official
    dates = [d.astimezone(EXPORT_ZONE).date().isoformat() if d else "" for d in
             (letter.sent_at, letter.answered_at, letter.meeting_at, letter.attended_at)]
    # The words of the pages, never the stored codes (municipal, post, draft…).
    return [letter.campaign.title, str(LEVEL_LABELS[official.level]), official.full_name,
            title_for(official, letter.campaign.language), official.territory_name,
            official.region.name if official.region else "", official.party,
            str(CHANNEL_LABELS[letter.channel]), str(STATUS_LABELS[letter.status]), *dates,
            letter.notes, letter.answer_text,
            _("oui") if official.verified and not official.civility_guessed else _("non")]


@bp.route("/export.csv")
@staff_required
def export():
    """The letters of an edition as CSV."""
    edition = _edition_from_args()
    if edition is None:
        abort(404)
    header = [_("Campagne"), _("Niveau"), _("Élu·e"), _("Titre"), _("Territoire"), _("Région"),
              _("Parti"), _("Canal"), _("Statut"), _("Envoyée le"), _("Réponse le"),
              _("Rencontre le"), _("Présence le"), _("Notes"), _("Texte de la réponse"),
              _("Données vérifiées")]
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
    officials = territory_queries.territory_officials(organization, edition.id)
    activities = territory_queries.organization_activities(organization.id, edition.id)
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
    invited = territory_queries.invited_pairs([a.id for a in activities])
    return render_template(
        "letters/territory.html", organization=organization, officials=officials, form=form,
        letters=territory_queries.letters_for_officials([o.id for o in officials], edition.id),
        activities=activities, invited=invited, edition=edition)

