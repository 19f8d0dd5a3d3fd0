"""Forms of the privacy pages: account deletion, policy text, incident register."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from gstp.forms import BaseForm
from gstp.privacy.incidents import FIELDS as INCIDENT_FIELDS

MAX_POLICY_LENGTH = 50_000
MAX_TEXT = 5_000


class DeleteAccountForm(BaseForm):
    """Delete one's own account, confirmed by the password."""

    password = PasswordField(_l("Votre mot de passe"), validators=[
        DataRequired(_l("Entrez votre mot de passe pour confirmer."))])
    withdraw_activities = BooleanField(
        _l("Retirer aussi les activités de mon organisme (elles seront annulées)"))


class PolicyForm(BaseForm):
    """The text of the privacy policy in one language."""

    body = TextAreaField(_l("Texte de la politique"), validators=[
        DataRequired(_l("La politique ne peut pas être vide.")),
        Length(max=MAX_POLICY_LENGTH)])


class IncidentForm(BaseForm):
    """One entry of the register of confidentiality incidents."""

    occurred_on = DateField(_l("Date de l'incident"), validators=[
        DataRequired(_l("Indiquez la date de l'incident (AAAA-MM-JJ)."))])
    discovered_on = DateField(_l("Date où l'incident a été constaté"), validators=[Optional()])
    description = TextAreaField(_l("Description de l'incident"), validators=[
        DataRequired(_l("Décrivez l'incident.")), Length(max=MAX_TEXT)])
    information_concerned = TextAreaField(_l("Renseignements personnels visés"), validators=[
        DataRequired(_l("Indiquez les renseignements visés.")), Length(max=MAX_TEXT)])
    people_affected = IntegerField(_l("Nombre de personnes concernées"), default=0, validators=[
        NumberRange(min=0, max=10_000_000, message=_l("Un nombre entier positif ou nul."))])
    risk_assessment = TextAreaField(_l("Évaluation du risque de préjudice"), validators=[
        Length(max=MAX_TEXT)])
    serious_risk = BooleanField(_l("Risque de préjudice sérieux"))
    measures = TextAreaField(_l("Mesures prises"), validators=[Length(max=MAX_TEXT)])
    commission_notified_on = DateField(
        _l("Avis à la Commission d'accès à l'information (date)"), validators=[Optional()])
    people_notified_on = DateField(_l("Avis aux personnes concernées (date)"),
                                   validators=[Optional()])

    def values(self) -> dict:
        """The incident's fields as typed."""
        return {name: getattr(self, name).data for name in INCIDENT_FIELDS}
