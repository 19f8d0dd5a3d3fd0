"""Reject malformed input early: text that is not UTF-8 gets a 400 page, not a 500."""
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request

FORM_TYPES = ("application/x-www-form-urlencoded",)


def _is_utf8(encoded: bytes) -> bool:
    """True when every percent-decoded name and value of a query/form body is UTF-8."""
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


BAD_QUERY = "gstp.bad_query_string"


class QueryStringGuard:
    """WSGI middleware emptying a query string that is not UTF-8, and flagging it.

    Werkzeug's request.args raises UnicodeDecodeError on raw non-UTF-8 bytes, and every
    page (error pages included) reads ?lang=: without this, such a link gives a 500.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if query and not _is_utf8(query.encode("latin-1", "replace")):
            environ["QUERY_STRING"] = ""
            environ[BAD_QUERY] = True
        return self.wsgi_app(environ, start_response)


def reject_broken_utf8() -> None:
    """Answer 400 to a query string or form body that is not valid UTF-8.

    Accepting them would store mangled text; a clear error lets the sender fix the request.
    """
    if request.environ.get(BAD_QUERY):
        abort(400)
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in FORM_TYPES:
        # get_data caches the body, so form parsing afterwards still sees it; the size
        # limit (MAX_CONTENT_LENGTH) has already been checked by Werkzeug's stream.
        if not _is_utf8(request.get_data(cache=True)):
            abort(400)


def init_app(app: Flask) -> None:
    """Check every request before any view runs."""
    app.wsgi_app = QueryStringGuard(app.wsgi_app)
    app.before_request(reject_broken_utf8)
