"""The staff form of an edition: year, number, week, theme, registration period."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.forms import BaseForm

MAX_WEEK_DAYS = 14


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EditionForm(BaseForm):
    """Create or edit an edition; dates are checked against each other."""

    year = IntegerField(_l("Année"), validators=[
        InputRequired(_l("Indiquez l'année.")),
        NumberRange(min=2016, max=2100, message=_l("L'année doit être entre 2016 et 2100."))])
    number = IntegerField(_l("Numéro de l'édition"), validators=[
        InputRequired(_l("Indiquez le numéro de l'édition.")),
        NumberRange(min=1, max=200, message=_l("Le numéro doit être entre 1 et 200."))])
    starts_on = DateField(_l("Premier jour de la semaine"), validators=[
        InputRequired(_l("Indiquez le premier jour de la semaine."))])
    ends_on = DateField(_l("Dernier jour de la semaine"), validators=[
        InputRequired(_l("Indiquez le dernier jour de la semaine."))])
    theme = StringField(_l("Thème (français)"), filters=[_strip], validators=[
        Length(max=255, message=_l("Le thème ne doit pas dépasser 255 caractères."))])
    theme_en = StringField(_l("Thème (anglais)"), filters=[_strip], validators=[
        Length(max=255, message=_l("Le thème ne doit pas dépasser 255 caractères."))])
    registration_opens_on = DateField(_l("Ouverture des inscriptions"), validators=[Optional()])
    registration_closes_on = DateField(_l("Fermeture des inscriptions"), validators=[Optional()])

    def __init__(self, *args, edition: Edition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def validate_year(self, field):
        other = db.session.scalar(db.select(Edition).where(Edition.year == field.data))
        if other is not None and other is not self.edition:
            raise ValidationError(_l("Une édition existe déjà pour l'année %(year)s.",
                                     year=field.data))

    def validate_starts_on(self, field):
        if field.data and self.year.data and field.data.year != self.year.data:
            raise ValidationError(_l("La semaine doit commencer pendant l'année de l'édition."))

    def validate_ends_on(self, field):
        start = self.starts_on.data
        if start and field.data and field.data < start:
            raise ValidationError(_l("Le dernier jour doit suivre le premier."))
        if start and field.data and (field.data - start).days >= MAX_WEEK_DAYS:
            raise ValidationError(_l("La semaine ne peut pas durer plus de 14 jours."))

    def validate_registration_closes_on(self, field):
        opens = self.registration_opens_on.data
        if opens and field.data and field.data < opens:
            raise ValidationError(_l("La fermeture doit suivre l'ouverture des inscriptions."))
        if field.data and self.ends_on.data and field.data > self.ends_on.data:
            raise ValidationError(_l("Les inscriptions doivent fermer au plus tard le dernier "
                                     "jour de la semaine."))

    def fields(self) -> dict:
        """The edition's columns from the cleaned data."""
        return {"year": self.year.data, "number": self.number.data,
                "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
                "theme": self.theme.data or "", "theme_en": self.theme_en.data or "",
                "registration_opens_on": self.registration_opens_on.data,
                "registration_closes_on": self.registration_closes_on.data}
