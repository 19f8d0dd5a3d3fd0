"""Privacy pages: the policy, « Mes données » (export) and deleting one's account."""
import json
from enum import StrEnum

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from gstp.exports import csv_response
from gstp.extensions import db
from gstp.navigation import register_nav, staff
from gstp.permissions import staff_required
from gstp.privacy import erasure, policy
from gstp.privacy.export import CSV_HEADER, TABLE_LABELS, account_data, csv_rows
from gstp.privacy.forms import DeleteAccountForm, PolicyForm
from gstp.security.ratelimit import rate_limit
from gstp.urlargs import enum_arg

bp = Blueprint("privacy", __name__)
register_nav("privacy.edit_policy", _l("Politique de confidentialité"), order=95, visible=staff)


class PolicyLanguage(StrEnum):
    """Languages the policy is written in."""

    FR = "fr"
    EN = "en"


def _language() -> str:
    return "en" if str(get_locale() or "fr").startswith("en") else "fr"


@bp.route("/confidentialite")
def policy_page():
    """The privacy policy in the visitor's language, with the person in charge."""
    language = _language()
    version = policy.current_version(language)
    return render_template("privacy/policy.html", blocks=policy.blocks(policy.current_text(
        language)), officer=policy.officer(), version=version)


@bp.route("/mon-compte/donnees")
@login_required
def my_data():
    """Everything held about the signed-in person, readable, with the download links."""
    return render_template("privacy/my_data.html", data=account_data(user=current_user),
                           labels=TABLE_LABELS)


@bp.route("/mon-compte/donnees.json")
@login_required
def my_data_json():
    """The same data as a JSON file (portability: structured and commonly used)."""
    data = account_data(user=current_user)
    return Response(json.dumps(data, ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mes-donnees.json"'})


@bp.route("/mon-compte/donnees.csv")
@login_required
def my_data_csv():
    """The same data as a CSV file: table, row, column, value."""
    return csv_response("mes-donnees.csv", CSV_HEADER, csv_rows(account_data(user=current_user)))


@bp.route("/mon-compte/supprimer", methods=["GET", "POST"])
@login_required
@rate_limit("delete_account", per_minute=5, per_hour=20, key="user")
def delete_account():
    """Delete one's account after typing the password; the last staff account may not."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    last_staff = erasure.is_last_staff(user)
    if form.validate_on_submit() and not last_staff:
        if not user.check_password(form.password.data):
            form.password.errors.append(_("Le mot de passe est incorrect."))
        else:
            erasure.erase_account(user=user,
                                  withdraw_activities=form.withdraw_activities.data)
            db.session.commit()
            logout_user()
            flash(_("Votre compte est supprimé. Un courriel vous le confirme."), "info")
            return redirect(url_for("calendar.home"))
    return render_template("privacy/delete.html", form=form, last_staff=last_staff,
                           only_member=erasure.is_only_member(user))


@bp.route("/equipe/confidentialite", methods=["GET", "POST"])
@staff_required
def edit_policy():
    """Staff edit the policy text, one language at a time; each save is a journalled version."""
    language = enum_arg(PolicyLanguage, "langue", default=PolicyLanguage.FR).value
    form = PolicyForm()
    if request.method == "GET":
        form.body.data = policy.current_text(language)
    if form.validate_on_submit():
        saved = policy.save_policy(language=language, body=form.body.data, actor=current_user)
        db.session.commit()
        flash(_("La politique est enregistrée (nouvelle version).") if saved
              else _("Le texte n'a pas changé : aucune nouvelle version."), "success")
        return redirect(url_for("privacy.edit_policy", langue=language))
    return render_template("privacy/edit_policy.html", form=form, language=language,
                           versions=policy.versions(language))
