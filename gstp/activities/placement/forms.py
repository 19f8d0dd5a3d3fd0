"""Pins on a map: the staff relocation form and the pin of the organizers' activity form."""
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from gstp.forms import BaseForm


class PinMixin:
    """A pin (latitude, longitude) inside Québec's bounding box, both given or neither."""

    latitude = DecimalField(_l("Latitude"), places=6, validators=[
        Optional(), NumberRange(min=44.9, max=62.7, message=_l("Latitude hors du Québec."))])
    longitude = DecimalField(_l("Longitude"), places=6, validators=[
        Optional(), NumberRange(min=-79.8, max=-57.0, message=_l("Longitude hors du Québec."))])

    def pin(self) -> tuple[float, float] | None:
        """The pin as floats, or None when none was placed."""
        if self.latitude.data is None or self.longitude.data is None:
            return None
        return float(self.latitude.data), float(self.longitude.data)

    def pin_is_whole(self) -> bool:
        """Both coordinates or neither; marks the missing one otherwise."""
        if (self.latitude.data is None) == (self.longitude.data is None):
            return True
        target = self.longitude if self.longitude.data is None else self.latitude
        target.errors.append(_l("Indiquez la latitude et la longitude, ou aucune des deux."))
        return False


class RelocateForm(PinMixin, BaseForm):
    """A pin or a municipality, and the electoral district."""

    municipality_code = SelectField(_l("Municipalité"), choices=[], validate_choice=True)
    district_code = SelectField(_l("Circonscription électorale"), choices=[],
                                validate_choice=True)
    submit = SubmitField(_l("Enregistrer l'emplacement"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.pin_is_whole():
            valid = False
        elif self.latitude.data is None and not self.municipality_code.data:
            self.municipality_code.errors.append(
                _l("Placez l'épingle sur la carte ou choisissez une municipalité."))
            valid = False
        return valid


class DistrictChoiceForm(BaseForm):
    """One click on a district of the activity's city (the buttons carry the code)."""

    district_code = SelectField(_l("Circonscription électorale"), choices=[],
                                validate_choice=True)
