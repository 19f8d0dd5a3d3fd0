"""Account pages: sign in and sign out."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from gstp.extensions import db, login_manager
from gstp.organizations.forms import LoginForm
from gstp.organizations.models import User
from gstp.organizations.services import find_user_by_email, record_login
from gstp.security.ratelimit import rate_limit

bp = Blueprint("organizations", __name__)

login_manager.login_view = "organizations.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"


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
    """Sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("calendar.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None or not user.check_password(form.password.data) or not user.is_active:
            form.password.errors.append(_("Courriel ou mot de passe incorrect."))
        else:
            login_user(user, remember=form.remember.data)
            record_login(user=user)
            db.session.commit()
            flash(_("Vous êtes connecté."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("calendar.home"))
    return render_template("organizations/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so a link or an image cannot sign someone out)."""
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("calendar.home"))
