"""The activity form: submitting, editing, placing the address (routes on activities.bp)."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from gstp.activities import reconduction, services
from gstp.activities.blueprint import bp, own_activity
from gstp.activities.duplicates import likely_duplicates
from gstp.activities.forms import MAX_DATES, ActivityForm
from gstp.activities.models import Activity, ActivityState
from gstp.activities.moderation import set_state
from gstp.activities.place_fields import (
    municipality_label,
    normalise_postal_code,
    resolve_municipality,
)
from gstp.activities.placement.district_hint import asks_postal_code, flash_district_hint
from gstp.activities.placement.services import RelocationError
from gstp.activities.placement.views import ERRORS as PLACEMENT_ERRORS
from gstp.activities.placement.views import map_tiles
from gstp.editions.services import Registration, current_edition, registration
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.geo.reference import LAND_DESIGNATION_CODES
from gstp.geo.services import MUNICIPALITY_LEVEL_SOURCES, geocode
from gstp.organizations.models import Organization
from gstp.permissions import organizer_required
from gstp.security.ratelimit import rate_limit
from gstp.security.uploads import allow_large_body
from gstp.urlargs import text_arg

# Room for a poster on the activity form (1 MiB elsewhere): past 5 MB the form says so and
# keeps what was typed; only far beyond is the request refused (413).
POSTER_REQUEST_LIMIT = 16 * 1024 * 1024
for _endpoint in ("activities.create", "activities.edit"):
    allow_large_body(_endpoint, POSTER_REQUEST_LIMIT)


def _municipality_names() -> list[str]:
    return [municipality_label(m) for m in db.session.scalars(
        db.select(Municipality).where(
            Municipality.latitude.is_not(None),
            Municipality.designation_code.not_in(LAND_DESIGNATION_CODES))  # as their village
        .order_by(Municipality.name))]


def _render_form(form, activity=None, similar=()):
    municipality = form.municipality_obj or (activity.municipality if activity else None)
    edition = activity.edition if activity else current_edition()
    return render_template("activities/form.html", form=form, activity=activity,
                           municipalities=_municipality_names(), max_dates=MAX_DATES,
                           similar=similar, ask_postal_code=asks_postal_code(
                               municipality.code if municipality else None,
                               activity.district_code if activity else None),
                           registration=registration(edition) if edition else None,
                           edition=edition, **map_tiles())


def _pin_outside_quebec(form, activity=None):
    """The pin fell in the bounding box but outside Québec: nothing is saved."""
    db.session.rollback()
    form.latitude.errors.append(PLACEMENT_ERRORS["point"])
    return _render_form(form, activity)


def _add_row_requested(form) -> bool:
    """The no-JavaScript "add a date" button: one more row, nothing saved."""
    if form.add_date.data and len(form.occurrences.entries) < MAX_DATES:
        form.occurrences.append_entry()
        return True
    return False


def _already_sent(token, organization):
    """A second POST of the same form: show the first activity, create nothing."""
    already = services.find_by_token(token)
    if already is None or already.organization_id != organization.id:
        abort(404)
    flash(_("Cette activité a déjà été envoyée."), "info")
    return redirect(url_for("activities.dashboard", _anchor=f"activite-{already.id}"))


def _closed_to_organizers(edition):
    """Outside the registration period, organizers get a page saying so; staff go on."""
    state = registration(edition)
    if state is Registration.OPEN or current_user.is_staff:
        return None
    return render_template("activities/registration_closed.html", edition=edition,
                           registration=state)


@bp.route("/mes-activites/nouvelle", methods=["GET", "POST"])
@rate_limit("submission", per_hour=60, key=("ip", "user"))
@organizer_required
def create():
    """Submit a new activity for the current edition."""
    edition = current_edition()
    if edition is None:
        abort(404)
    organization = (db.session.get(Organization, current_user.organization_id)
                    if current_user.organization_id else None)
    if organization is None:
        flash(_("Seul un compte d'organisme peut proposer une activité."), "warning")
        return redirect(url_for("staff.home"))
    if (closed := _closed_to_organizers(edition)) is not None:
        return closed
    form = ActivityForm(edition=edition, owner_id=organization.id)
    if request.method == "POST" and _add_row_requested(form):
        return _render_form(form)
    token = form.submission_token.data or None
    if request.method == "POST" and services.find_by_token(token) is not None:
        return _already_sent(token, organization)
    valid = form.validate_on_submit()
    similar = _unconfirmed_duplicates(form, edition, organization) if valid else []
    if valid and not similar:
        try:
            activity = services.submit_activity(
                organization=organization, edition=edition, created_by=current_user,
                fields=form.activity_fields(), dates=form.dates(), submission_token=token,
                pin=form.pin())
        except RelocationError:
            return _pin_outside_quebec(form)
        try:
            db.session.commit()
        except IntegrityError:  # the same form posted twice at the same moment
            db.session.rollback()
            return _already_sent(token, organization)
        flash(_("Merci ! Votre activité a été envoyée ; l'équipe la vérifiera avant de la "
                "publier."), "success")
        flash_district_hint(activity)
        return redirect(url_for("activities.dashboard"))
    return _render_form(form, similar=similar)


def _unconfirmed_duplicates(form, edition, organization) -> list[Activity]:
    """Look-alikes the organizer has not yet said are another activity."""
    if form.not_duplicate.data:
        return []
    fields = form.activity_fields()
    return likely_duplicates(edition_id=edition.id, organization_id=organization.id,
                             municipality_code=fields["municipality_code"],
                             title=fields["title"], days={d.day for d in form.dates()})


def _form_data(activity: Activity) -> dict:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(activity.time_zone)
    data = {name: getattr(activity, name) for name in (
        "title", "description", "language", "is_free", "price_details", "registration_url",
        "virtual_url", "accessibility_notes", "contact_email", "venue_name", "address",
        "postal_code", "poster_name", "poster_alt", "latitude", "longitude")}
    data.update(category=activity.category.value, audience=activity.audience.value,
                format=activity.format.value,
                municipality=municipality_label(activity.municipality)
                if activity.municipality else "",
                occurrences=[{"day": o.starts_at.astimezone(zone).date(),
                              "starts": o.starts_at.astimezone(zone).time(),
                              "ends": o.ends_at.astimezone(zone).time(), "uid": o.uid}
                             for o in activity.occurrences])
    return data


@bp.route("/mes-activites/<id:activity_id>/modifier", methods=["GET", "POST"])
@rate_limit("activity-edit", per_minute=30, per_hour=300, key="user")
@organizer_required
def edit(activity_id: int):
    """Edit an activity; a refused one goes back to the queue, a published one stays."""
    activity = own_activity(activity_id)
    if activity.state is ActivityState.CANCELLED or (activity.edition.closed_at
                                                      and not current_user.is_staff):
        flash(_("Une activité annulée ne peut plus être modifiée.") if activity.edition.closed_at
              is None else _("Cette édition est fermée : ses activités ne peuvent plus être "
                             "modifiées."), "warning")
        return redirect(url_for("activities.dashboard"))
    owner = {"owner_id": activity.organization_id, "current_poster": activity.poster_name}
    if request.method == "POST":
        form = ActivityForm(edition=activity.edition, **owner)
    else:
        form = ActivityForm(edition=activity.edition, data=_form_data(activity), **owner)
    if request.method == "POST" and _add_row_requested(form):
        return _render_form(form, activity)
    if form.validate_on_submit():
        try:
            services.update_activity(activity=activity, actor=current_user,
                                     fields=form.activity_fields(), dates=form.dates(),
                                     pin=form.pin())
        except RelocationError:
            return _pin_outside_quebec(form, activity)
        reconduction.dates_set(activity=activity)
        if activity.state is ActivityState.REJECTED:
            set_state(activity=activity, state=ActivityState.SUBMITTED,
                      actor=current_user)
        db.session.commit()
        flash(_("Activité enregistrée."), "success")
        flash_district_hint(activity)
        return redirect(url_for("activities.dashboard"))
    return _render_form(form, activity)


@bp.route("/mes-activites/localiser")
@rate_limit("place-preview", per_hour=600, key="ip", methods=("GET",))
@organizer_required
def place_preview():
    """Where the form's address would be placed, as JSON for the form's map (saves nothing)."""
    municipality = resolve_municipality(text_arg("municipality", max_length=120))
    try:
        postal_code = normalise_postal_code(text_arg("postal_code", max_length=10))
    except ValueError:
        postal_code = None
    result, _retry_later = geocode(text_arg("address", max_length=300), postal_code=postal_code,
                                   municipality_code=municipality.code if municipality else None)
    db.session.commit()  # keeps Nominatim's answer in its cache for the submission that follows
    if result is None:
        return jsonify(found=False)
    return jsonify(found=True, latitude=result.latitude, longitude=result.longitude,
                   approximate=result.source in MUNICIPALITY_LEVEL_SOURCES,
                   ask_postal_code=asks_postal_code(result.municipality_code,
                                                     result.district_code))
