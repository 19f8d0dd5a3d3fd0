"""Forms of the account and organization pages."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from gstp.forms import BaseForm
from gstp.organizations.models import LANGUAGE_LABELS, ORGANIZATION_TYPE_LABELS
from gstp.organizations.passwords import PASSWORD_MIN, password_problem
from gstp.security.honeypot import HoneypotMixin


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _single_line(value):
    """Names end up in e-mail subjects: no line breaks, no runs of spaces."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _with_scheme(value):
    """People type "www.exemple.org": accept it as https."""
    value = _strip(value)
    if value and not re.match(r"^https?://", value, re.IGNORECASE):
        return "https://" + value
    return value


def _email_field(label, required_message):
    return EmailField(label, filters=[_strip], validators=[
        DataRequired(required_message),
        Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])


def _password_policy(form, field):
    """Refuse common passwords and those made of the account's own names (see passwords.py)."""
    if field.data and not field.errors:  # a too-short password already has its message
        problem = password_problem(field.data, **form.password_owner())
        if problem:
            raise ValidationError(problem)


def _new_password(label=None):
    return PasswordField(label or _l("Mot de passe"), validators=[
        DataRequired(_l("Choisissez un mot de passe.")),
        Length(min=PASSWORD_MIN, max=200, message=_l(
            "Le mot de passe doit compter au moins %(min)d caractères.", min=PASSWORD_MIN)),
        _password_policy])


class NewPasswordForm(BaseForm):
    """A form choosing a password for a known account: `owner` is what the policy compares.

    `owner` holds the keyword arguments of password_problem (email, organization_name).
    """

    def __init__(self, *args, owner: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._owner = owner or {}

    def password_owner(self) -> dict:
        return self._owner


def _confirmation(target="password"):
    return PasswordField(_l("Confirmation du mot de passe"), validators=[
        DataRequired(_l("Retapez le mot de passe.")),
        EqualTo(target, _l("Les deux mots de passe ne sont pas identiques."))])


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(BaseForm):
    """Sign in with e-mail and password."""

    email = _email_field(_l("Courriel"), _l("Indiquez votre adresse courriel."))
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(_l("Indiquez votre mot de passe.")), Length(max=200)])
    remember = BooleanField(_l("Rester connecté"))


class EmailOnlyForm(BaseForm):
    """Ask for an address: new verification link or password reset."""

    email = _email_field(_l("Courriel"), _l("Indiquez votre adresse courriel."))


class OrganizationFieldsForm(BaseForm):
    """Profile fields of an organization, shared by sign-up and the profile page."""

    org_name = StringField(_l("Nom de l'organisme"), filters=[_single_line], validators=[
        DataRequired(_l("Indiquez le nom de l'organisme.")), Length(max=200)])
    org_type = SelectField(_l("Type d'organisme"), validators=[
        DataRequired(_l("Choisissez le type d'organisme."))])
    region = SelectField(_l("Région administrative"), validators=[
        DataRequired(_l("Choisissez la région."))])
    municipality = StringField(_l("Municipalité"), filters=[_strip],
                               render_kw={"list": "municipality-names", "autocomplete": "off"},
                               validators=[Optional(), Length(max=160)])
    website = StringField(_l("Site web"), filters=[_with_scheme], validators=[
        Optional(), Length(max=255),
        URL(message=_l("Cette adresse web n'est pas valide (ex. : https://exemple.org)."))])
    phone = StringField(_l("Téléphone"), filters=[_strip], validators=[
        Optional(), Length(max=30),
        Regexp(r"^\+?[0-9 ().\-]{7,20}(\s*(poste|p\.|ext\.?|#)\s*\d{1,6})?$", re.IGNORECASE,
               _l("Ce numéro de téléphone n'est pas valide (ex. : 418 555-0123 poste 12)."))])
    org_email = EmailField(_l("Courriel de l'organisme"), filters=[_strip], validators=[
        Optional(), Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])
    languages = MultiCheckboxField(_l("Langues des activités"), default=["fr"], validators=[
        DataRequired(_l("Cochez au moins une langue."))])

    def __init__(self, *args, region_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_type.choices = [("", _l("— Choisir —"))] + [
            (t.value, label) for t, label in ORGANIZATION_TYPE_LABELS.items()]
        self.region.choices = [("", _l("— Choisir —"))] + list(region_choices)
        self.languages.choices = list(LANGUAGE_LABELS.items())

    def organization_fields(self) -> dict:
        """Values for Organization columns (the municipality is resolved by the view)."""
        return {"website": self.website.data or None, "phone": self.phone.data or None,
                "email": (self.org_email.data or "").lower() or None,
                "region_code": self.region.data, "languages": ",".join(self.languages.data)}


class SignupForm(HoneypotMixin, OrganizationFieldsForm):
    """An organization and its first member on one page."""

    name = StringField(_l("Votre nom"), filters=[_single_line], validators=[
        DataRequired(_l("Indiquez votre nom.")), Length(max=200)])
    email = _email_field(_l("Votre courriel"), _l("Indiquez votre adresse courriel."))
    password = _new_password()
    password_confirm = _confirmation()
    # Shown only when a registered organization of the municipality has a similar name.
    not_duplicate = BooleanField(_l("C'est un autre organisme"))

    def password_owner(self) -> dict:
        return {"email": self.email.data or "", "organization_name": self.org_name.data or ""}


class ProfileForm(OrganizationFieldsForm):
    """The organization's profile, edited by its members."""

    description = TextAreaField(_l("Présentation"), filters=[_strip],
                                validators=[Optional(), Length(max=5000)])


class InviteForm(BaseForm):
    """Invite a colleague to the organization."""

    email = _email_field(_l("Courriel de la personne invitée"),
                         _l("Indiquez l'adresse courriel de la personne à inviter."))


class AcceptInvitationForm(NewPasswordForm):
    """Create one's account from an invitation."""

    name = StringField(_l("Votre nom"), filters=[_single_line], validators=[
        DataRequired(_l("Indiquez votre nom.")), Length(max=200)])
    password = _new_password()
    password_confirm = _confirmation()


class ResetPasswordForm(NewPasswordForm):
    """Choose a new password through a reset link."""

    password = _new_password(_l("Nouveau mot de passe"))
    password_confirm = _confirmation()


class AccountForm(BaseForm):
    """What a person edits about themselves."""

    name = StringField(_l("Votre nom"), filters=[_single_line], validators=[
        DataRequired(_l("Indiquez votre nom.")), Length(max=200)])


class ChangePasswordForm(NewPasswordForm):
    """Change one's password, knowing the current one."""

    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Indiquez votre mot de passe actuel.")), Length(max=200)])
    password = _new_password(_l("Nouveau mot de passe"))
    password_confirm = _confirmation()

    def validate_password(self, field):
        if field.data and field.data == self.current_password.data:
            raise ValidationError(_l("Le nouveau mot de passe doit différer de l'actuel."))
