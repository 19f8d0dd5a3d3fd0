"""Pages of signed-in members: organization profile, invitations, "Mon compte"."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import IntegrityError

from gstp.audit.services import changes_between, record_audit, snapshot
from gstp.extensions import db
from gstp.navigation import organizers, register_nav
from gstp.organizations import services
from gstp.organizations.forms import (
    AcceptInvitationForm,
    AccountForm,
    ChangePasswordForm,
    InviteForm,
    ProfileForm,
)
from gstp.organizations.models import Organization, OrganizationType
from gstp.organizations.passwords import password_owner
from gstp.organizations.queries import municipality_names, organization_members, region_choices
from gstp.organizations.tokens import InvalidToken
from gstp.organizations.views import resolve_municipality_field, sign_in, sign_out_everywhere
from gstp.permissions import organizer_required
from gstp.security.ratelimit import rate_limit
from gstp.urlargs import text_arg

bp = Blueprint("members", __name__)

register_nav("members.profile", _l("Mon organisme"), order=70, visible=organizers)
register_nav("members.account", _l("Mon compte"), order=90,
             visible=lambda user: user.is_authenticated)


def _organization_or_abort(organization_id: int | None) -> Organization:
    """The organization the current person may manage: their own, or any for staff."""
    organization_id = organization_id or current_user.organization_id
    organization = db.session.get(Organization, organization_id) if organization_id else None
    if organization is None:
        abort(404)
    if not current_user.is_staff and current_user.organization_id != organization.id:
        abort(403)
    return organization


@bp.route("/organisme/profil", methods=["GET", "POST"])
@bp.route("/organismes/<id:organization_id>/profil", methods=["GET", "POST"])
@organizer_required
def profile(organization_id: int | None = None):
    """Edit the organization's profile."""
    organization = _organization_or_abort(organization_id)
    form = ProfileForm(region_choices=region_choices())
    if request.method == "GET":
        _fill_profile(form, organization)
    if form.validate_on_submit():
        municipality_code = resolve_municipality_field(form)
        if municipality_code is not False:
            fields = {"name": form.org_name.data, "type": OrganizationType(form.org_type.data),
                      "municipality_code": municipality_code,
                      "description": form.description.data or "", **form.organization_fields()}
            before = snapshot(organization, fields)
            services.update_organization(organization=organization, **fields)
            record_audit(actor=current_user, action="organization.updated", target=organization,
                         changes=changes_between(before, snapshot(organization, fields)))
            db.session.commit()
            flash(_("Le profil de l'organisme est enregistré."), "success")
            return redirect(url_for("members.profile", organization_id=organization_id))
    return render_template("organizations/profile.html", form=form, organization=organization,
                           municipality_names=municipality_names())


def _fill_profile(form: ProfileForm, organization: Organization) -> None:
    form.org_name.data = organization.name
    form.org_type.data = organization.type.value
    form.region.data = organization.region_code or ""
    form.municipality.data = organization.municipality.name if organization.municipality else ""
    form.website.data = organization.website or ""
    form.phone.data = organization.phone or ""
    form.org_email.data = organization.email or ""
    form.languages.data = organization.language_codes or ["fr"]
    form.description.data = organization.description


@bp.route("/organisme/invitations", methods=["GET", "POST"])
@bp.route("/organismes/<id:organization_id>/invitations", methods=["GET", "POST"])
@organizer_required
def invitations(organization_id: int | None = None):
    """Invite a colleague and list the organization's members."""
    organization = _organization_or_abort(organization_id)
    form = InviteForm()
    if request.method == "GET":  # a join request's link names the person to invite
        form.email.data = text_arg("email", max_length=255)
    if form.validate_on_submit():
        try:
            services.invite_member(organization=organization, email=form.email.data,
                                   invited_by=current_user)
        except services.UserExists:
            form.email.errors.append(_("Un compte existe déjà avec cette adresse courriel."))
        else:
            record_audit(actor=current_user, action="organization.invited", target=organization,
                         details={"email": form.email.data.lower()})
            db.session.commit()
            flash(_("L'invitation est envoyée à %(email)s.", email=form.email.data.lower()),
                  "success")
            return redirect(url_for("members.invitations", organization_id=organization_id))
    return render_template("organizations/invitations.html", form=form,
                           organization=organization,
                           members=organization_members(organization=organization))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@rate_limit("link_form", per_minute=10, per_hour=60, key="ip")
def accept_invitation(token: str):
    """Create one's account from the link of an invitation e-mail."""
    try:
        organization, email = services.read_invitation(token=token)
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="invitation"), 400
    except services.UserExists:
        flash(_("Un compte existe déjà avec cette adresse courriel : connectez-vous."), "info")
        return redirect(url_for("organizations.login"))
    form = AcceptInvitationForm(owner={"email": email, "organization_name": organization.name})
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token=token, name=form.name.data,
                                              password=form.password.data)
            db.session.flush()
        except (services.UserExists, IntegrityError):  # the link was used meanwhile
            db.session.rollback()
            flash(_("Un compte existe déjà avec cette adresse courriel : connectez-vous."),
                  "info")
            return redirect(url_for("organizations.login"))
        sign_in(user)
        db.session.commit()
        flash(_("Bienvenue ! Votre compte est lié à %(name)s.", name=organization.name),
              "success")
        return redirect(url_for("members.profile"))
    return render_template("organizations/accept_invitation.html", form=form,
                           organization=organization, email=email)


@bp.route("/mon-compte", methods=["GET", "POST"])
@login_required
def account():
    """Change one's name."""
    form = AccountForm(obj=current_user)
    password_form = ChangePasswordForm(formdata=None)
    if form.validate_on_submit():
        services.update_account(user=current_user, name=form.name.data)
        db.session.commit()
        flash(_("Vos informations sont enregistrées."), "success")
        return redirect(url_for("members.account"))
    return render_template("organizations/account.html", form=form,
                           password_form=password_form)


@bp.route("/mon-compte/mot-de-passe", methods=["POST"])
@login_required
def change_password():
    """Change one's password, knowing the current one."""
    password_form = ChangePasswordForm(owner=password_owner(current_user))
    if password_form.validate_on_submit():
        user = current_user._get_current_object()
        if services.change_password(user=user, current=password_form.current_password.data,
                                    new=password_form.password.data):
            # The new token ended every session; this one goes on, with a fresh cookie.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            sign_in(user, remember=remembered in request.cookies)
            db.session.commit()
            flash(_("Votre mot de passe est changé. Vos autres sessions sont fermées."),
                  "success")
            return redirect(url_for("members.account"))
        password_form.current_password.errors.append(_("Le mot de passe actuel est incorrect."))
    form = AccountForm(formdata=None, obj=current_user)
    return render_template("organizations/account.html", form=form,
                           password_form=password_form)


@bp.route("/mon-compte/deconnexion-partout", methods=["POST"])
@login_required
def sign_out_all():
    """« Se déconnecter partout »: end the sessions of every device, this one included."""
    sign_out_everywhere()
    flash(_("Vous êtes déconnecté sur tous vos appareils."), "info")
    return redirect(url_for("organizations.login"))
