"""Request body limits per endpoint: MAX_CONTENT_LENGTH (1 MiB) everywhere, more where a
file is expected (the activity poster).

    allow_large_body("activities.create", 16 * 1024 * 1024)   # at import of the views
    allow_large_body("letters.import_officials", 4 * 2**20, form_memory=4 * 2**20)

form_memory also raises the limit of one text field (an import's reviewed text, posted back).
"""
from flask import Flask, request
from werkzeug.exceptions import HTTPException

_LIMITS: dict[str, int] = {}
_FORM_MEMORY: dict[str, int] = {}


def allow_large_body(endpoint: str, limit: int, *, form_memory: int | None = None) -> None:
    """Let one endpoint read a body up to `limit` bytes (a text field up to form_memory)."""
    _LIMITS[endpoint] = limit
    if form_memory:
        _FORM_MEMORY[endpoint] = form_memory


def body_limit(app: Flask, environ) -> int | None:
    """The body limit of the endpoint a raw WSGI request goes to (for middleware that reads
    the body before Flask routes it); MAX_CONTENT_LENGTH elsewhere."""
    default = app.config.get("MAX_CONTENT_LENGTH")
    if not _LIMITS:
        return default
    try:
        endpoint, _args = app.url_map.bind_to_environ(environ).match(
            method=environ.get("REQUEST_METHOD"))
    except HTTPException:  # no such page (or a redirect): Flask will answer it
        return default
    return _LIMITS.get(endpoint, default)


def _apply_limit() -> None:
    limit = _LIMITS.get(request.endpoint or "")
    if limit:
        request.max_content_length = limit
    form_memory = _FORM_MEMORY.get(request.endpoint or "")
    if form_memory:
        request.max_form_memory_size = form_memory


def init_app(app: Flask) -> None:
    """Run first among the before-request functions: CSRF already reads the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_limit)
