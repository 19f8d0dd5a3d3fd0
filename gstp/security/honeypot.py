"""Spam trap for public forms: a field people never see and a minimum time to fill the form.

Only anonymous visitors are checked: a signed-in person is already known, and the forms
behind a login rely on CSRF and rate limits (a quick edit must not be refused).

    class SignupForm(HoneypotMixin, FlaskForm): ...
    {% from "security/honeypot.html" import honeypot %} … {{ honeypot(form) }}
"""
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

REJECTED = _l("Votre envoi n'a pas pu être accepté. Patientez quelques secondes, "
              "vérifiez le formulaire et envoyez-le de nouveau.")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="gstp-honeypot")


def _enabled() -> bool:
    """On for anonymous visitors; off like CSRF in the test configuration (its tests turn it on)."""
    if not current_app.config.get("HONEYPOT_ENABLED", True):
        return False
    return not current_user.is_authenticated


def form_started_token(now: float | None = None) -> str:
    """Signed time at which the form was shown."""
    return _serializer().dumps(round(time.time() if now is None else now, 1))


class HoneypotMixin:
    """Adds the hidden `homepage` trap and the signed `form_started` time to a FlaskForm."""

    homepage = StringField(_l("Laisser ce champ vide"), render_kw={
        "tabindex": "-1", "autocomplete": "off"})
    form_started = HiddenField(default=form_started_token)

    def validate_homepage(self, field):
        """A person never sees this field, so anything typed in it comes from a robot."""
        if field.data and _enabled():
            raise ValidationError(REJECTED)

    def validate_form_started(self, field):
        """Refuse a form sent back faster than a person can fill it, or without its token."""
        if not _enabled():
            return
        try:
            started = float(_serializer().loads(field.data or ""))
        except (BadSignature, TypeError, ValueError):
            raise ValidationError(REJECTED) from None
        if time.time() - started < current_app.config.get("HONEYPOT_MIN_SECONDS", 3):
            raise ValidationError(REJECTED)
