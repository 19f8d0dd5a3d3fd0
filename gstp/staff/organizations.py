"""Staff pages of organizations and people: search, history, accounts, staff, merging."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from gstp.extensions import db
from gstp.forms import BaseForm
from gstp.geo.models import Region
from gstp.navigation import register_nav, staff
from gstp.organizations.forms import AcceptInvitationForm
from gstp.organizations.models import Organization, User
from gstp.organizations.services import UserExists
from gstp.organizations.tokens import InvalidToken
from gstp.organizations.views import sign_in
from gstp.permissions import admin_required, staff_required
from gstp.security.ratelimit import rate_limit
from gstp.staff import organization_queries as queries
from gstp.staff import people
from gstp.urlargs import id_arg, page_arg, text_arg

bp = Blueprint("people", __name__, url_prefix="/equipe")
register_nav("people.organizations", _l("Organismes"), order=84, visible=staff)
PER_PAGE = 25


class StaffInviteForm(BaseForm):
    """The address of the person to invite into the team."""

    email = EmailField(_l("Courriel de la personne"), validators=[
        DataRequired(_l("Indiquez l'adresse courriel.")),
        Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])


def _organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404)
    return organization


@bp.route("/organismes")
@staff_required
def organizations():
    """Every organization, searched by name or municipality, with editions and members."""
    text, region = text_arg("q", max_length=100), text_arg("region", max_length=2) or None
    page = db.paginate(queries.organizations_query(text=text, region_code=region),
                       page=page_arg(), per_page=PER_PAGE, error_out=False)
    ids = [o.id for o in page.items]
    return render_template(
        "staff/organizations.html", page=page, text=text, region=region,
        years=queries.participation(ids), members=queries.member_counts(ids),
        regions=db.session.scalars(db.select(Region).order_by(Region.code)).all())


@bp.route("/organismes/<id:organization_id>")
@staff_required
def organization(organization_id: int):
    """One organization: members, activities of every edition, look-alikes to merge."""
    found = _organization(organization_id)
    if found.merged_into_id:  # merged away: its old address leads to the one kept
        return redirect(url_for("people.organization", organization_id=found.merged_into_id),
                        301)
    return render_template(
        "staff/organization.html", organization=found, form=BaseForm(),
        members=db.session.scalars(db.select(User).where(User.organization_id == found.id)
                                   .order_by(User.email)).all(),
        editions=queries.activities_by_edition(found.id), look_alikes=queries.look_alikes(found))


@bp.route("/organismes/<id:organization_id>/fusionner", methods=["GET", "POST"])
@staff_required
def merge(organization_id: int):
    """Confirm, then merge the organization ?avec= into this one."""
    kept = _organization(organization_id)
    other_id = id_arg("avec", source=request.form if request.method == "POST" else None)
    merged = _organization(other_id) if other_id else abort(404)
    if kept.id == merged.id or kept.merged_into_id or merged.merged_into_id:
        flash(_("Ces deux organismes ne peuvent pas être fusionnés."), "error")
        return redirect(url_for("people.organization", organization_id=kept.id))
    form = BaseForm()
    if form.validate_on_submit():
        moved = people.merge_organizations(kept=kept, merged=merged, actor=current_user)
        db.session.commit()
        flash(_("« %(merged)s » est fusionné dans « %(kept)s » : %(activities)s activité(s) et "
                "%(members)s personne(s) déplacées.", merged=merged.name, kept=kept.name,
                activities=moved["activities"], members=moved["members"]), "success")
        return redirect(url_for("people.organization", organization_id=kept.id))
    ids = [kept.id, merged.id]
    return render_template("staff/merge.html", kept=kept, merged=merged, form=form,
                           years=queries.participation(ids),
                           members=queries.member_counts(ids))


@bp.route("/comptes/<id:user_id>/<any(desactiver, reactiver):action>", methods=["POST"])
@staff_required
def account_state(user_id: int, action: str):
    """Deactivate or reactivate an account; only admins touch staff accounts."""
    user = db.session.get(User, user_id) or abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id or (user.is_staff and not current_user.is_admin):
        abort(403)
    people.set_account_active(user=user, active=action == "reactiver", actor=current_user)
    db.session.commit()
    flash(_("Le compte %(email)s est désactivé.", email=user.email) if action == "desactiver"
          else _("Le compte %(email)s est réactivé.", email=user.email), "success")
    if user.organization_id:
        return redirect(url_for("people.organization", organization_id=user.organization_id))
    return redirect(url_for("people.invite_staff"))


@bp.route("/personnes", methods=["GET", "POST"])
@admin_required
def invite_staff():
    """Invite a person into the team by e-mail (admins manage staff)."""
    form = StaffInviteForm()
    if form.validate_on_submit():
        try:
            people.invite_staff(email=form.email.data, invited_by=current_user)
        except UserExists:
            form.email.errors.append(_("Un compte existe déjà pour cette adresse."))
        else:
            db.session.commit()
            flash(_("Invitation envoyée à %(email)s.", email=form.email.data), "success")
            return redirect(url_for("people.invite_staff"))
    staff_members = db.session.scalars(db.select(User).where(User.organization_id.is_(None))
                                       .order_by(User.email)).all()
    return render_template("staff/invite_staff.html", form=form, staff_members=staff_members,
                           button_form=BaseForm())


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@rate_limit("link_form", per_minute=10, per_hour=60, key="ip")
def accept_staff_invitation(token: str):
    """Create one's staff account from the invitation link."""
    try:
        email = people.read_staff_invitation(token=token[:500])
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="invitation"), 400
    except UserExists:
        flash(_("Un compte existe déjà avec cette adresse courriel : connectez-vous."), "info")
        return redirect(url_for("organizations.login"))
    form = AcceptInvitationForm(owner={"email": email, "organization_name": ""})
    if form.validate_on_submit():
        try:
            user = people.accept_staff_invitation(token=token, name=form.name.data,
                                                  password=form.password.data)
        except (UserExists, IntegrityError):  # the link was used meanwhile
            db.session.rollback()
            flash(_("Un compte existe déjà avec cette adresse courriel : connectez-vous."),
                  "info")
            return redirect(url_for("organizations.login"))
        sign_in(user)
        db.session.commit()
        flash(_("Bienvenue dans l'équipe !"), "success")
        return redirect(url_for("staff.home"))
    return render_template("staff/accept_invitation.html", form=form, email=email)
