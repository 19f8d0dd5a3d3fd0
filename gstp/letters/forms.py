"""Forms of the letters pages."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from gstp.forms import BaseForm
from gstp.letters.models import (
    Civility,
    LetterChannel,
    LetterLanguage,
    LetterStatus,
    MunicipalTarget,
    OfficialLevel,
    TargetLevel,
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


CIVILITY_LABELS = {"": _l("Inconnue (formules neutres)"), Civility.MADAME: _l("Madame"),
                   Civility.MONSIEUR: _l("Monsieur")}


class OfficialForm(BaseForm):
    """Staff correction of an elected official."""

    civility = SelectField(_l("Civilité"), choices=list(CIVILITY_LABELS.items()))
    title = StringField(_l("Titre"), filters=[_strip], validators=[Length(max=80)])
    full_name = StringField(_l("Nom complet"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez le nom de l'élu·e.")), Length(max=200)])
    salutation = StringField(_l("Formule d'appel"), filters=[_strip],
                             validators=[Length(max=120)])
    party = StringField(_l("Parti"), filters=[_strip], validators=[Length(max=80)])
    email = EmailField(_l("Courriel"), filters=[_strip, lambda v: v or None], validators=[
        Optional(), Email(_l("Cette adresse courriel n'est pas valide.")), Length(max=255)])
    postal_address = TextAreaField(_l("Adresse postale"), filters=[_strip],
                                   validators=[Length(max=1000)])
    office_address = TextAreaField(_l("Bureau de circonscription"), filters=[_strip],
                                   validators=[Length(max=1000)])
    phone = StringField(_l("Téléphone"), filters=[_strip, lambda v: v or None],
                        validators=[Length(max=30)])
    verified = BooleanField(_l("Vérifié par l'équipe"))
    active = BooleanField(_l("En fonction"))
    do_not_email = BooleanField(_l("Ne pas contacter par courriel"))
    # The public source of each contact detail (site, directory, document).
    email_source = StringField(_l("Source du courriel"), filters=[_strip],
                               validators=[Length(max=200)])
    phone_source = StringField(_l("Source du téléphone"), filters=[_strip],
                               validators=[Length(max=200)])
    postal_address_source = StringField(_l("Source de l'adresse postale"), filters=[_strip],
                                        validators=[Length(max=200)])
    office_address_source = StringField(_l("Source du bureau de circonscription"),
                                        filters=[_strip], validators=[Length(max=200)])

    def contact_sources(self) -> dict:
        """{detail: source} of the sources typed (empty ones are left out)."""
        return {name: getattr(self, f"{name}_source").data
                for name in ("email", "phone", "postal_address", "office_address")
                if getattr(self, f"{name}_source").data}


MUNICIPAL_TARGET_LABELS = {
    MunicipalTarget.MAYORS: _l("Maires et mairesses"),
    MunicipalTarget.COUNCILLORS: _l("Conseillers et conseillères"),
    MunicipalTarget.BOTH: _l("Maires, mairesses, conseillers et conseillères")}


class CampaignForm(BaseForm):
    """A campaign: text with merge fields, signatories and target rule."""

    edition_id = SelectField(_l("Édition"), coerce=int)
    title = StringField(_l("Titre de la campagne"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez un titre.")), Length(max=200)])
    subject = StringField(_l("Objet de la lettre"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez l'objet de la lettre.")), Length(max=200)])
    body_template = TextAreaField(_l("Texte de la lettre"), validators=[
        DataRequired(_l("Écrivez le texte de la lettre.")), Length(max=20000)])
    signatories = TextAreaField(_l("Signataires"), validators=[Length(max=20000)])
    target_level = SelectField(_l("Élus visés"), choices=[
        (TargetLevel.MUNICIPAL.value, _l("Maires et mairesses")),
        (TargetLevel.PROVINCIAL.value, _l("Député·es provinciaux")),
        (TargetLevel.ALL.value, _l("Maires, mairesses et député·es"))])
    language = SelectField(_l("Langue de la lettre"), choices=[
        (LetterLanguage.FR.value, _l("Français")), (LetterLanguage.EN.value, _l("Anglais"))],
        filters=[lambda value: value or LetterLanguage.FR.value])  # French unless chosen
    municipal_roles = SelectField(_l("Élus municipaux visés"), choices=[
        (target.value, label) for target, label in MUNICIPAL_TARGET_LABELS.items()],
        filters=[lambda value: value or MunicipalTarget.MAYORS.value])
    target_region_code = SelectField(_l("Région"))
    # Optional narrower targets: absent from a post means "all".
    target_mrc_code = SelectField(_l("MRC"), filters=[lambda value: value or ""])
    target_municipality_code = SelectField(_l("Municipalité"), filters=[lambda value: value or ""])
    only_with_activities = BooleanField(
        _l("Seulement les élus dont le territoire a des activités publiées"))


class StatusForm(BaseForm):
    """Move a letter to another status, with notes and the answer's text."""

    status = SelectField(_l("Nouveau statut"), choices=[])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])
    answer_text = TextAreaField(_l("Texte de la réponse"), validators=[Length(max=20000)])


class InvitationForm(BaseForm):
    """An organizer invites an official to one of their published activities."""

    official_id = IntegerField(validators=[DataRequired()])
    activity_id = SelectField(_l("Activité"), coerce=int, validators=[
        DataRequired(_l("Choisissez une activité."))])


STATUS_LABELS = {
    LetterStatus.DRAFT: _l("Brouillon"), LetterStatus.SENT: _l("Envoyée"),
    LetterStatus.BOUNCED: _l("Retournée (non distribuée)"),
    LetterStatus.ANSWERED: _l("Réponse reçue"), LetterStatus.MEETING: _l("Rencontre obtenue"),
    LetterStatus.ATTENDED: _l("Présent·e à une activité"),
}
FIELD_LABELS = {"civility": _l("Civilité"), "title": _l("Titre"), "full_name": _l("Nom complet"),
                "salutation": _l("Formule d'appel"), "party": _l("Parti"),
                "email": _l("Courriel"), "postal_address": _l("Adresse postale"),
                "office_address": _l("Bureau de circonscription"), "phone": _l("Téléphone")}
CHANNEL_LABELS = {LetterChannel.EMAIL: _l("Courriel"), LetterChannel.POST: _l("Poste")}
LEVEL_LABELS = {OfficialLevel.MUNICIPAL: _l("Municipal"),
                OfficialLevel.PROVINCIAL: _l("Provincial"),
                OfficialLevel.FEDERAL: _l("Fédéral")}
