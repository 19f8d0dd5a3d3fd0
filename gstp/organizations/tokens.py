"""Signed, expiring tokens sent by e-mail: address verification, password reset, invitation."""
import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "gstp.verify-email"
RESET_SALT = "gstp.reset-password"
INVITE_SALT = "gstp.invitation"

VERIFY_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=2)
INVITE_MAX_AGE = timedelta(days=14)


class InvalidToken(ValueError):
    """The link was altered, is for another purpose, or is too old."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_token(salt: str, payload: dict) -> str:
    """Sign `payload` for the purpose named by `salt`."""
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: timedelta) -> dict:
    """The payload of a valid token; raises InvalidToken otherwise."""
    try:
        payload = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise InvalidToken(expired=True) from error
    except BadSignature as error:
        raise InvalidToken() from error
    if not isinstance(payload, dict):
        raise InvalidToken()
    return payload


def password_fingerprint(password_hash: str) -> str:
    """Short digest of the stored hash: a reset link dies as soon as the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
