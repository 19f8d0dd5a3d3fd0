"""Base classes of every form: each text field drops control characters before validation."""
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField
from wtforms.meta import DefaultMeta

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
