"""Error pages in the visitor's language (the session is rolled back at teardown)."""
from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

HANDLED = (400, 403, 404, 405, 413, 429, 500)


def init_app(app: Flask) -> None:
    """Register the HTML error handler; unhandled exceptions arrive here as 500."""

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        template = f"errors/{code}.html" if code in HANDLED else "errors/generic.html"
        # Keep the exception's own headers (Allow on 405, Retry-After on 429…).
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return render_template(template, error=error), code, headers
