"""Device cookies (OWASP): a browser that signed in to an account before is trusted for it.

After a successful sign-in the browser receives a signed cookie naming the account (by a
hash of its address) and a random nonce. Sign-ins from such a browser are limited per
device, not per account, so a stranger's guesses against the account never lock its
owner out; a stolen cookie is worth little since its own attempts are limited too.
"""
import hashlib
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "gstp_appareil"
MAX_AGE = 365 * 86400
MAX_ACCOUNTS = 5  # a shared computer may be trusted for a few accounts, the newest kept


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="gstp-device-cookie")


def account_hash(email: str) -> str:
    """The account's address as the cookie names it (not readable in the cookie itself)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _entries() -> list[list[str]]:
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or len(raw) > 4000:
        return []
    try:
        entries = _serializer().loads(raw, max_age=MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2
            and all(isinstance(part, str) for part in e)]


def trusted_nonce(email: str) -> str:
    """The nonce of this browser's device cookie for `email`, "" when it is not trusted."""
    if not email:
        return ""
    wanted = account_hash(email)
    return next((nonce for account, nonce in _entries() if account == wanted), "")


def remember_device(response, email: str):
    """Set (or renew) the device cookie for `email` on `response` after a good sign-in."""
    wanted = account_hash(email)
    kept = [e for e in _entries() if e[0] != wanted][-(MAX_ACCOUNTS - 1):]
    entries = [*kept, [wanted, secrets.token_urlsafe(16)]]
    response.set_cookie(
        COOKIE_NAME, _serializer().dumps(entries), max_age=MAX_AGE, path="/",
        httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
