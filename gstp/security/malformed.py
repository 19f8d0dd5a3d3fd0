"""Reject malformed input early: text that is not UTF-8 gets a 400 page, not a 500.

The check runs in WSGI middleware, before Flask, CSRF or any view reads the request:
Werkzeug decodes forms with errors="replace", so whatever reads a body first would
otherwise get (and might store) mangled text.
"""
from io import BytesIO
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.wsgi import get_input_stream

from gstp.security.uploads import body_limit

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UTF8_NAMES = frozenset({"utf-8", "utf8", "ascii", "us-ascii"})
# environ key set by the middleware: the status the request gets before any view runs.
REFUSED = "gstp.refused_status"


def _is_utf8(encoded: bytes) -> bool:
    """True when every percent-decoded name and value of a query/form body is UTF-8."""
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _multipart_text_is_utf8(body: bytes, boundary: str) -> bool:
    """True when the part headers and every text field (not file contents) are UTF-8."""
    decoder = MultipartDecoder(boundary.encode("latin-1"))
    decoder.receive_data(body)
    decoder.receive_data(None)
    field: list[bytes] | None = None  # the text field being read; None inside a file
    try:
        while not isinstance(event := decoder.next_event(), (Epilogue, NeedData)):
            if isinstance(event, Field):
                field = []
                # Werkzeug would decode a part declared ISO-8859-1 as such: only UTF-8
                # (or its ASCII subset) is read the way it is checked here.
                if _declared_charset(event.headers) not in UTF8_NAMES:
                    return False
            elif isinstance(event, File):
                field = None
            elif isinstance(event, Data) and field is not None:
                field.append(event.data)
                if not event.more_data:
                    b"".join(field).decode("utf-8")
    except ValueError:  # UnicodeDecodeError (part headers are decoded strictly too) or junk
        return False
    return True


def _declared_charset(headers) -> str:
    return parse_options_header(headers.get("Content-Type", ""))[1].get("charset", "utf-8").lower()


def _body_is_utf8(content_type: str, body: bytes) -> bool:
    mimetype, options = parse_options_header(content_type)
    if mimetype == URLENCODED:
        return _is_utf8(body)
    boundary = options.get("boundary")
    return bool(boundary) and _multipart_text_is_utf8(body, boundary)


class Utf8Guard:
    """WSGI middleware refusing query strings and form bodies that are not UTF-8.

    A refused request is emptied (query string and body) and flagged; the first
    before_request answers it with the error page. Form bodies are read here, within
    MAX_CONTENT_LENGTH (or the larger limit of a form taking a file), and handed on from
    memory.
    """

    def __init__(self, wsgi_app, flask_app: Flask):
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if query and not _is_utf8(query.encode("latin-1", "replace")):
            environ["QUERY_STRING"] = ""
            environ[REFUSED] = 400
        content_type = environ.get("CONTENT_TYPE", "")
        if (environ.get("REQUEST_METHOD") in BODY_METHODS
                and parse_options_header(content_type)[0] in (URLENCODED, MULTIPART)):
            self._check_body(environ, content_type)
        return self.wsgi_app(environ, start_response)

    def _check_body(self, environ, content_type: str) -> None:
        limit = body_limit(self.flask_app, environ)  # more on the forms that take a file
        try:
            body = get_input_stream(environ, max_content_length=limit).read()
        except RequestEntityTooLarge:
            body, environ[REFUSED] = b"", 413
        if REFUSED not in environ and not _body_is_utf8(content_type, body):
            body, environ[REFUSED] = b"", 400
        environ["wsgi.input"] = BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))


def refuse_flagged_request() -> None:
    """Answer a request the middleware refused, before anything else reads it."""
    status = request.environ.get(REFUSED)
    if status:
        abort(status)


def init_app(app: Flask) -> None:
    """Check every request before Flask parses it; refuse it before any other hook runs."""
    app.wsgi_app = Utf8Guard(app.wsgi_app, app)
    # First in line, ahead of CSRFProtect's hook registered earlier by create_app.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_flagged_request)
