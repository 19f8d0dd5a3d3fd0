"""Rate limits kept in the database, so every gunicorn worker counts the same attempts.

Usage on a view (outermost after the route decorator):

    @bp.route("/connexion", methods=["GET", "POST"])
    @rate_limit("login", per_minute=10, per_hour=60, key=("ip", "email"))
    def login(): ...

Values in config RATELIMITS[scope] override the decorator's; RATELIMIT_ENABLED=False
turns every limit off (the test configuration does, tests of limits turn it back on).
`windows={"account": ("per_minute",)}` counts a key under some windows only: a limit per
account then slows guessing without locking the owner out for an hour.
"""
import hashlib
import math
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, request
from flask_login import current_user
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.exceptions import TooManyRequests

from gstp.extensions import db
from gstp.security.devices import trusted_nonce
from gstp.security.models import RateLimitCounter

WINDOWS = {"per_minute": 60, "per_hour": 3600, "per_day": 86400}


def client_ip() -> str:
    """The client's address (ProxyFix puts the real one here behind nginx)."""
    return request.remote_addr or "unknown"


def submitted_email() -> str:
    """The e-mail typed in the form, normalised, so one account is not tried from many IPs."""
    return (request.form.get("email") or "").strip().lower()


def signed_in_user() -> str:
    """The signed-in account's id ("" for a visitor): limits forms behind a login."""
    return str(current_user.get_id() or "") if current_user.is_authenticated else ""


def untrusted_account() -> str:
    """The e-mail typed, unless this browser holds a device cookie for that account."""
    email = submitted_email()
    return "" if trusted_nonce(email) else email


def trusted_device() -> str:
    """The device cookie's nonce for the e-mail typed ("" from a browser not trusted)."""
    return trusted_nonce(submitted_email())


KEY_FUNCTIONS: dict[str, Callable[[], str]] = {
    "ip": client_ip, "email": submitted_email, "user": signed_in_user,
    "account": untrusted_account, "device": trusted_device}


def _insert(dialect_name: str):
    return (postgresql.insert if dialect_name == "postgresql" else sqlite.insert)(
        RateLimitCounter)


def hit(scope: str, key: str, window_seconds: int, now: float | None = None) -> tuple[int, int]:
    """Count one hit atomically in its own transaction; return (hits in window, seconds left).

    The separate connection commits at once, so a view that fails or rolls back its
    session cannot undo the count.
    """
    now = time.time() if now is None else now
    start = int(now // window_seconds * window_seconds)
    key_hash = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()
    with db.engine.begin() as connection:
        statement = _insert(connection.dialect.name).values(
            scope=scope, key_hash=key_hash, window_seconds=window_seconds,
            window_start=start, hits=1, expires_at=start + window_seconds)
        statement = statement.on_conflict_do_update(
            index_elements=["scope", "key_hash", "window_seconds", "window_start"],
            set_={"hits": RateLimitCounter.hits + 1},
        ).returning(RateLimitCounter.hits)
        hits = connection.execute(statement).scalar_one()
        if hits == 1:  # a new window started: a good moment to drop finished ones
            connection.execute(sa.delete(RateLimitCounter).where(
                RateLimitCounter.expires_at < int(now)))
    return hits, max(1, math.ceil(start + window_seconds - now))


def limits_for(scope: str, defaults: dict[str, int]) -> dict[str, int]:
    """The decorator's limits, overridden by config RATELIMITS[scope]."""
    configured = current_app.config.get("RATELIMITS", {}).get(scope, {})
    merged = {**defaults, **configured}
    return {name: int(n) for name, n in merged.items() if name in WINDOWS and n}


def check(scope: str, limits: dict[str, int], keys: Iterable[str],
          windows: dict[str, Iterable[str]] | None = None):
    """Count this request under every key and window; abort with 429 when one is over."""
    retry_after = 0
    for key_name in keys:
        value = KEY_FUNCTIONS[key_name]()
        if not value:
            continue
        only = (windows or {}).get(key_name)
        for window_name, allowed in limits.items():
            if only is not None and window_name not in only:
                continue
            hits, left = hit(scope, f"{key_name}:{value}", WINDOWS[window_name])
            if hits > allowed:
                retry_after = max(retry_after, left)
    if retry_after:
        # The app's error handler renders the 429 page and keeps the Retry-After header.
        raise TooManyRequests(retry_after=retry_after)


class Limit(NamedTuple):
    """What a limited view declares; read back from the view's `rate_limit` attribute."""

    scope: str
    defaults: dict[str, int | None]
    keys: tuple[str, ...]
    methods: frozenset[str]
    windows: dict[str, tuple[str, ...]]


def rate_limit(scope: str, *, per_minute: int | None = None, per_hour: int | None = None,
               per_day: int | None = None, key: str | Iterable[str] = "ip",
               methods: Iterable[str] = ("POST",),
               windows: dict[str, Iterable[str]] | None = None):
    """Decorator: at most N requests per window and per key (see KEY_FUNCTIONS)."""
    keys = (key,) if isinstance(key, str) else tuple(key)
    unknown = set(keys) - KEY_FUNCTIONS.keys()
    if unknown:
        raise ValueError(f"unknown rate limit key {unknown}")
    windows = {name: tuple(chosen) for name, chosen in (windows or {}).items()}
    if set(windows) - set(keys) or {w for c in windows.values() for w in c} - WINDOWS.keys():
        raise ValueError(f"windows {windows} do not match keys {keys}")
    defaults = {"per_minute": per_minute, "per_hour": per_hour, "per_day": per_day}
    methods = frozenset(m.upper() for m in methods)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_app.config.get("RATELIMIT_ENABLED", True) and request.method in methods:
                check(scope, limits_for(scope, defaults), keys, windows)
            return view(*args, **kwargs)
        # Outer decorators copy it (functools.wraps): the URL map's view still says it. A view
        # stacking several limits lists them all, innermost first.
        wrapped.rate_limits = (*getattr(view, "rate_limits", ()),
                               Limit(scope, defaults, keys, methods, windows))
        return wrapped
    return decorator
