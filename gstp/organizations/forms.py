"""Forms of the account pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    """Sign in with e-mail and password."""

    email = EmailField(_l("Courriel"), filters=[lambda v: v.strip() if v else v], validators=[
        DataRequired(_l("Indiquez votre adresse courriel.")),
        Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(_l("Indiquez votre mot de passe.")), Length(max=200)])
    remember = BooleanField(_l("Rester connecté"))
