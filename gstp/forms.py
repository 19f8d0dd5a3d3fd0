"""Base classes of every form: each text field drops control characters before validation;
counts typed as people write them."""
import re

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from gstp.controls import multi_line, single_line


def text_filter(field):
    """The cleaning a field needs: multi-line for text areas, single-line for other text.

    Passwords are left as typed: they are never shown, and changing them would lock
    people out.
    """
    if isinstance(field, TextAreaField):
        return multi_line
    if isinstance(field, StringField) and not isinstance(field, PasswordField):
        return single_line
    return None


class CleanTextMeta(DefaultMeta):
    """Puts the control-character filter first on every bound text field."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        clean = text_filter(field)
        if clean is not None:
            field.filters = [clean, *field.filters]
        return field


class BaseForm(FlaskForm):
    """Every page form derives from this one (CSRF from Flask-WTF, clean text)."""

    class Meta(CleanTextMeta):
        pass


class BaseSubForm(Form):
    """Rows nested in a page form (FormField), cleaned the same way."""

    class Meta(CleanTextMeta):
        pass


# « 1200 », « 1 200 » with a space, a no-break space (U+00A0) or the narrow no-break space
# (U+202F) French typography puts between thousands; nothing else (no 1.200, no 1,200).
_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,15}", re.ASCII)
_NEGATIVE = re.compile(r"-[ \u00a0\u202f]*[\d \u00a0\u202f]+", re.ASCII)


class CountField(IntegerField):
    """A whole count from 0 to `maximum`, with one clear message per field."""

    # A text box: a browser's number box refuses « 1 200 » before the server sees it.
    widget = TextInput()

    def __init__(self, label=None, validators=None, *, maximum: int, **kwargs):
        kwargs["render_kw"] = {"inputmode": "numeric", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = None
        if not text:
            return
        if _GROUPED.fullmatch(text):
            self.data = int(re.sub(r"\D", "", text))
        elif _NEGATIVE.fullmatch(text):
            raise ValueError(_l("Indiquez un nombre positif."))
        else:
            raise ValueError(_l("Indiquez un nombre entier, par exemple 1 200."))

    def pre_validate(self, form):
        # The parsing message is the field's only one: the validators would repeat it.
        if self.process_errors:
            raise StopValidation()
        if self.data is not None and self.data > self.maximum:
            raise StopValidation(_l("Indiquez un nombre d'au plus %(maximum)s.",
                                    maximum=format_number(self.maximum)))
