"""Staff forms: entered figures, the media log and op-eds."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
)
from wtforms.widgets import TextInput

from gstp.forms import BaseForm, CountField
from gstp.stats.models import MetricKind, Qualifier

KIND_CHOICES = [SelectChoice(MetricKind.NUMBER.value, _l("Nombre")),
                SelectChoice(MetricKind.PERCENTAGE.value, _l("Pourcentage")),
                SelectChoice(MetricKind.YES_NO_COUNT.value, _l("Réponses oui/non (nombre)"))]
QUALIFIER_CHOICES = [SelectChoice(Qualifier.EXACT.value, _l("Exact")),
                     SelectChoice(Qualifier.APPROXIMATE.value, _l("Environ (~)")),
                     SelectChoice(Qualifier.AT_LEAST.value, _l("Au moins (+)"))]


class NumberField(FloatField):
    """A number typed the French way too ("1 131", "24,9")."""

    # A text box: a browser's number box refuses « 1 131 » and « 24,9 ».
    widget = TextInput(input_type="text")

    def process_formdata(self, valuelist):
        if valuelist:
            text = (valuelist[0].replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
                    .replace(",", "."))
            try:
                self.data = float(text) if text else None
            except ValueError:
                self.data = None
                raise ValueError(_l("Indiquez un nombre, par exemple 1131 ou 24,9.")) from None


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MetricDefinitionForm(BaseForm):
    """A new figure to track from one edition to the next."""

    key = StringField(_l("Clé"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez une clé.")), Length(max=60),
        Regexp(r"^[a-z0-9_]+$", message=_l("Lettres minuscules, chiffres et « _ » seulement."))])
    label_fr = StringField(_l("Libellé en français"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez un libellé en français.")), Length(max=200)])
    label_en = StringField(_l("Libellé en anglais"), filters=[_strip], validators=[Length(max=200)])
    unit = StringField(_l("Unité"), filters=[_strip], validators=[Length(max=40)])
    kind = SelectField(_l("Type"), choices=KIND_CHOICES, default=MetricKind.NUMBER.value)
    sort_order = CountField(_l("Ordre d'affichage"), default=100, maximum=10_000, validators=[
        InputRequired(_l("Indiquez un nombre entier."))])
    description = TextAreaField(_l("Description"), filters=[_strip])
    # Choices: the computed figures (set by the view, which knows their labels).
    stands_for = SelectField(_l("Tient lieu, avant la plateforme, du chiffre calculé"),
                             default="")


class MetricValueForm(BaseForm):
    """The value of a figure for one edition, for the province or one region."""

    edition_id = SelectField(_l("Édition"), coerce=int,
                             validators=[InputRequired(_l("Choisissez une édition."))])
    value = NumberField(_l("Valeur"), validators=[InputRequired(_l("Indiquez un nombre."))])
    qualifier = SelectField(_l("Précision"), choices=QUALIFIER_CHOICES,
                            default=Qualifier.EXACT.value)
    region_code = SelectField(_l("Région"), default="")
    breakdown = StringField(_l("Ventilation (facultatif)"), filters=[_strip],
                            validators=[Length(max=120)])
    source = StringField(_l("Source"), filters=[_strip], validators=[Length(max=300)])
    note = TextAreaField(_l("Note"), filters=[_strip])


class MediaResultForm(BaseForm):
    """One media result of the press review."""

    published_on = DateField(_l("Date"), validators=[InputRequired(_l("Indiquez la date."))])
    outlet = StringField(_l("Média"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez le média.")), Length(max=200)])
    title = StringField(_l("Titre"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez le titre.")), Length(max=300)])
    url = URLField(_l("Lien"), filters=[_strip], validators=[Optional(), Length(max=500),
                                                              URL(message=_l("Lien invalide."))])
    reach = CountField(_l("Portée (personnes)"), maximum=10_000_000_000,
                       validators=[Optional()])
    names_gstp = BooleanField(_l("Nomme la GSTP"))
    names_partner = BooleanField(_l("Nomme un partenaire ou un organisme"))
    region_code = SelectField(_l("Région"), default="")


class MediaImportForm(BaseForm):
    """A CSV of media results."""

    file = FileField(_l("Fichier CSV"), validators=[FileRequired(_l("Choisissez un fichier."))])


class OpEdForm(BaseForm):
    """An op-ed, its outlets and its signatories."""

    title = StringField(_l("Titre"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez le titre.")), Length(max=300)])
    published_on = DateField(_l("Date de publication"),
                             validators=[InputRequired(_l("Indiquez la date."))])
    outlets = TextAreaField(_l("Médias où elle a paru (un par ligne)"), filters=[_strip])
    signatories = TextAreaField(_l("Signataires (un par ligne : nom ; fonction ; organisme)"),
                                filters=[_strip])


class SurveyQuestionForm(BaseForm):
    """A yes/no question of the post-week survey."""

    text_fr = StringField(_l("Question en français"), filters=[_strip], validators=[
        DataRequired(_l("Indiquez la question.")), Length(max=300)])
    text_en = StringField(_l("Question en anglais"), filters=[_strip],
                          validators=[Length(max=300)])
