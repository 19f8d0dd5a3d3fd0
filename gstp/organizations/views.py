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
from gstp.organizations.models import OrganizationType, User
from gstp.organizations.queries import municipality_names, region_choices
from gstp.organizations.tokens import InvalidToken
from gstp.security.ratelimit import rate_limit

bp = Blueprint("organizations", __name__)

login_manager.login_view = "organizations.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.localize_callback = _  # translated when flashed (a lazy string cannot be stored)
login_manager.login_message_category = "info"

register_nav("organizations.signup", _l("Inscrire un organisme"), order=80,
             visible=lambda user: not user.is_authenticated)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's session lookup."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str | None:
    """Only follow a relative `next` path, never an outside address."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/connexion", methods=["GET", "POST"])
@rate_limit("login", per_minute=10, per_hour=60, key=("ip", "email"))
def login():
    """Sign in; an account whose address is not verified yet is told so."""
    if current_user.is_authenticated:
        return redirect(url_for("calendar.home"))
    form = LoginForm()
    unverified = False
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            form.password.errors.append(_("Courriel ou mot de passe incorrect."))
        elif user.email_verified_at is None:
            # Said only after the right password, so it reveals nothing to a stranger.
            unverified = True
        else:
            login_user(user, remember=form.remember.data)
            services.record_login(user=user)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("calendar.home"))
    resend_form = EmailOnlyForm(formdata=None, email=form.email.data) if unverified else None
    return render_template("organizations/login.html", form=form, unverified=unverified,
                           resend_form=resend_form)


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so a link or an image cannot sign someone out)."""
    logout_user()
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
        if services.find_user_by_email(form.email.data) is not None:
            form.email.errors.append(_(
                "Un compte existe déjà avec cette adresse courriel. Connectez-vous ou "
                "utilisez « Mot de passe oublié »."))
        elif municipality_code is not False:
            fields = {"name": form.org_name.data, "type": OrganizationType(form.org_type.data),
                      "municipality_code": municipality_code, **form.organization_fields()}
            try:
                user = services.register_organization(
                    organization_fields=fields, name=form.name.data, email=form.email.data,
                    password=form.password.data)
            except (services.UserExists, IntegrityError):  # taken by a concurrent request
                db.session.rollback()
                form.email.errors.append(_("Un compte existe déjà avec cette adresse courriel."))
            else:
                record_audit(actor=user, action="organization.registered",
                             target=user.organization)
                db.session.commit()
                return render_template("organizations/signup_done.html", email=user.email)
    return render_template("organizations/signup.html", form=form,
                           municipality_names=municipality_names())


@bp.route("/inscription/confirmer/<token>")
def verify_email(token: str):
    """Follow the link of the verification e-mail."""
    try:
        services.verify_email(token=token)
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="verify"), 400
    db.session.commit()
    flash(_("Votre adresse courriel est confirmée. Vous pouvez maintenant vous connecter."),
          "success")
    return redirect(url_for("organizations.login"))


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
def reset_password(token: str):
    """Choose a new password through the link of the reset e-mail."""
    try:
        services.user_for_reset(token=token)
    except InvalidToken as error:
        return render_template("organizations/link_invalid.html", expired=error.expired,
                               kind="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token=token, password=form.password.data)
        db.session.commit()
        flash(_("Votre mot de passe est changé. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for("organizations.login"))
    return render_template("organizations/reset_password.html", form=form)
