"""Account pages: sign-up, sign-in, address verification and password reset."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from gstp.audit.services import record_audit
from gstp.extensions import db, login_manager
from gstp.navigation import register_nav
from gstp.organizations import services
from gstp.organizations.forms import EmailOnlyForm, LoginForm, ResetPasswordForm, SignupForm
from gstp.organizations.models import SESSION_TOKEN_LENGTH, OrganizationType, User
from gstp.organizations.passwords import password_owner
from gstp.organizations.queries import municipality_names, region_choices
from gstp.organizations.signin_failures import record_failed_login
from gstp.organizations.similarity import similar_organizations
from gstp.organizations.tokens import InvalidToken
from gstp.security.devices import remember_device
from gstp.security.ratelimit import rate_limit
from gstp.security.redirects import safe_local_path

bp = Blueprint("organizations", __name__)

login_manager.login_view = "organizations.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.localize_callback = _  # translated when flashed (a lazy string cannot be stored)
login_manager.login_message_category = "info"

register_nav("organizations.signup", _l("Inscrire un organisme"), order=80,
             visible=lambda user: not user.is_authenticated)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Flask-Login's session lookup, by the token that logout and password changes renew."""
    if not session_token or len(session_token) > SESSION_TOKEN_LENGTH:
        return None
    # A deactivated account's cookies stop working at once, not at their expiry.
    return db.session.scalar(db.select(User).where(User.session_token == session_token,
                                                   User.is_active_account.is_(True)))


def workspace_url(user: User) -> str:
    """Where a person lands after signing in: staff on « Équipe », organizers on activities."""
    if user.is_staff:
        return url_for("staff.home")
    if user.organization_id is not None:
        return url_for("activities.dashboard")
    return url_for("calendar.home")


def sign_in(user: User, *, remember: bool = False) -> None:
    """Open a session for `user` (the caller commits)."""
    login_user(user, remember=remember)
    services.record_login(user=user)


@bp.route("/connexion", methods=["GET", "POST"])
@rate_limit("login", per_minute=10, per_hour=60, key=("ip", "account"),
            windows={"account": ("per_minute",)})
@rate_limit("login-device", per_minute=10, per_hour=60, key="device")
def login():
    """Sign in; an account whose address is not verified yet is told so.

    Per address every window applies; per account only the minute, and not at all from a
    browser that signed in to it before (its device cookie is limited on its own).
    """
    target = safe_local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target or workspace_url(current_user))
    form = LoginForm()
    unverified = False
    if form.validate_on_submit():
        user = services.authenticate(email=form.email.data, password=form.password.data)
        if user is None:
            form.password.errors.append(_("Courriel ou mot de passe incorrect."))
            record_failed_login(user=services.find_user_by_email(form.email.data))
            db.session.commit()
        elif user.email_verified_at is None:
            # Said only after the right password, so it reveals nothing to a stranger.
            unverified = True
        else:
            sign_in(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return remember_device(redirect(target or workspace_url(user)), user.email)
    resend_form = EmailOnlyForm(formdata=None, email=form.email.data) if unverified else None
    return render_template("organizations/login.html", form=form, unverified=unverified,
                           resend_form=resend_form)


def sign_out_everywhere() -> None:
    """End the current session and every other one of the same person (cookie copies too)."""
    services.end_sessions(user=current_user)
    db.session.commit()
    logout_user()


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so a link or an image cannot sign someone out).

    The session token is renewed: a copied session or remember cookie dies as well.
    """
    sign_out_everywhere()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("calendar.home"))


def resolve_municipality_field(form) -> str | None | bool:
    """The municipality code typed in `form`, None when empty, False after adding an error."""
    try:
        municipality = services.resolve_municipality(text=form.municipality.data or "",
                                                     region_code=form.region.data)
    except services.AmbiguousMunicipality:
        form.municipality.errors.append(_(
            "Plusieurs municipalités de la région portent ce nom : précisez la désignation, "
            "par exemple « Saint-Louis (Paroisse) »."))
        return False
    if municipality is None and form.municipality.data:
        form.municipality.errors.append(_("Aucune municipalité de cette région ne porte ce nom."))
        return False
    return municipality.code if municipality else None


@bp.route("/inscription", methods=["GET", "POST"])
@rate_limit("signup", per_hour=10, key="ip")
def signup():
    """Register an organization and its first member, then send the verification link."""
    if current_user.is_authenticated:
        return redirect(url_for("calendar.home"))
    form = SignupForm(region_choices=region_choices())
    if form.validate_on_submit():
        municipality_code = resolve_municipality_field(form)
        similar = [] if municipality_code is False or form.not_duplicate.data else \
            similar_organizations(name=form.org_name.data, municipality_code=municipality_code)
        joined = next((o for o in similar if str(o.id) == request.form.get("join")), None)
        if joined is not None:
            services.request_to_join(organization=joined, name=form.name.data,
                                     email=form.email.data)
            db.session.commit()
            return render_template("organizations/join_requested.html", organization=joined)
        if municipality_code is not False and not similar:
            fields = {"name": form.org_name.data, "type": OrganizationType(form.org_type.data),
                      "municipality_code": municipality_code, **form.organization_fields()}
            _register(fields, form)
            # Same page whether the address was new or not: only its owner learns which.
            return render_template("organizations/signup_done.html",
                                   email=services.normalize_email(form.email.data))
        return render_template("organizations/signup.html", form=form, similar=similar,
                               municipality_names=municipality_names())
    return render_template("organizations/signup.html", form=form,
                           municipality_names=municipality_names())


def _register(fields: dict, form: SignupForm) -> None:
    """Register the organization, or warn the owner of an address already in use; commit."""
    details = {"name": form.name.data, "email": form.email.data,
               "password": form.password.data}
    try:
        user = services.register_organization(organization_fields=fields, **details)
        if user is not None:
            record_audit(actor=user, action="organization.registered", target=user.organization)
        db.session.commit()
    except IntegrityError:  # the address was taken by a concurrent request meanwhile
        db.session.rollback()
        services.register_organization(organization_fields=fields, **details)
        db.session.commit()


@bp.route("/inscription/confirmer/<token>")
def verify_email(token: str):
    """Follow the link of the verification e-mail."""
    try:
        user, first_use = services.verify_email(token=token)
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="verify"), 400
    # Only the use that verifies signs in: a link kept in a mailbox is no lasting key.
    if not first_use or not user.is_active:
        db.session.commit()
        flash(_("Votre adresse courriel est déjà confirmée : connectez-vous."), "info")
        return redirect(url_for("organizations.login"))
    sign_in(user)
    db.session.commit()
    flash(_("Votre adresse courriel est confirmée. Bienvenue !"), "success")
    return redirect(workspace_url(user))


def _email_request_page(*, send, sent_message: str, title: str, endpoint: str):
    """A page asking only for an e-mail address; same answer whether the account exists."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        send(email=form.email.data)
        db.session.commit()
        flash(sent_message, "info")
        return redirect(url_for("organizations.login"))
    return render_template("organizations/email_form.html", form=form, title=title,
                           action=url_for(endpoint))


@bp.route("/inscription/renvoyer", methods=["GET", "POST"])
@rate_limit("password_reset", per_minute=5, per_hour=20, key=("ip", "email"))
def resend_verification():
    """Send a fresh verification link."""
    return _email_request_page(
        send=services.resend_verification,
        sent_message=_("Si un compte non confirmé utilise cette adresse, un nouveau lien vient "
                       "de lui être envoyé."),
        title=_("Recevoir un nouveau lien de confirmation"),
        endpoint="organizations.resend_verification")


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@rate_limit("password_reset", per_minute=5, per_hour=20, key=("ip", "email"))
def forgot_password():
    """Ask for a reset link."""
    return _email_request_page(
        send=services.request_password_reset,
        sent_message=_("Si un compte utilise cette adresse, un lien pour choisir un nouveau mot "
                       "de passe vient de lui être envoyé."),
        title=_("Mot de passe oublié"), endpoint="organizations.forgot_password")


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@rate_limit("link_form", per_minute=10, per_hour=60, key="ip")
def reset_password(token: str):
    """Choose a new password through the link of the reset e-mail."""
    try:
        user = services.user_for_reset(token=token)
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="reset"), 400
    form = ResetPasswordForm(owner=password_owner(user))
    if form.validate_on_submit():
        services.reset_password(token=token, password=form.password.data)
        db.session.commit()
        flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for("organizations.login"))
    return render_template("organizations/reset_password.html", form=form)
