"""Request body limits per endpoint: MAX_CONTENT_LENGTH (1 MiB) everywhere, more where a
file is expected (the activity poster).

    allow_large_body("activities.create", 16 * 1024 * 1024)   # at import of the views
"""
from flask import Flask, request

_LIMITS: dict[str, int] = {}


def allow_large_body(endpoint: str, limit: int) -> None:
    """Let one endpoint read a body up to `limit` bytes."""
    _LIMITS[endpoint] = limit


def _apply_limit() -> None:
    limit = _LIMITS.get(request.endpoint or "")
    if limit:
        request.max_content_length = limit


def init_app(app: Flask) -> None:
    """Run first among the before-request functions: CSRF already reads the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_limit)
