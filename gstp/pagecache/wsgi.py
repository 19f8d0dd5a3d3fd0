"""The fast path: a shared page answered before Flask is entered.

For a GET from a visitor holding none of the app's cookies (no session, no remember-me),
the page's key is computed from the WSGI environment exactly as the view's decorator
computes it, the public version read as usual, and a page already built is answered with
the very status and headers Flask sent for it (security headers included, noted the first
time it was answered). A conditional request for a file whose validators are those of its
bytes (a feed) is answered 304 here too when it holds them. Anything else (a cookie, a
page's conditional request, a page not built yet, a request the UTF-8 guard in front
refused) goes through Flask. What the fast path
skips is only Flask's own work per request: the request context, the session, routing and
the after-request hooks.
"""
import sqlalchemy as sa
from werkzeug.http import is_entity_header, is_resource_modified
from werkzeug.wrappers import Request

from gstp.i18n import choose_language
from gstp.pagecache.carried import carried_once
from gstp.pagecache.keys import Sharing, content_validators, page_key, read_state
from gstp.pagecache.outage import SHARING, is_outage
from gstp.pagecache.store import PageStore
from gstp.public_version.reading import remember_version
from gstp.security.malformed import REFUSED

SHARED = "gstp.pagecache.shared"  # environ: (stored, gzipped, sharing, key) of a shared answer
STATE = "gstp.pagecache.state"  # environ: (sharing, version, ticked) the fast path read
MISSED = "gstp.pagecache.missed"  # environ: the key the fast path found no page of, files included
NOT_MODIFIED = "304 NOT MODIFIED"
_MAX_ROUTES = 50_000  # paths known to be shared pages; forgotten all at once past that


class FastPages:
    """WSGI middleware in front of the Flask app."""

    def __init__(self, app, inner, store: PageStore):
        self.app, self.inner, self.store = app, inner, store
        self.routes: dict[str, Sharing] = {}
        self.private_cookies = {app.config["SESSION_COOKIE_NAME"],
                                app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"} or environ.get(REFUSED):
            return self.inner(environ, start_response)  # Flask answers a refused request
        request = Request(environ, populate_request=False)
        if self.private_cookies & request.cookies.keys():
            return self.inner(environ, start_response)
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        sharing = self.routes.get(path)
        if _conditional(environ) and not (sharing is not None and sharing.by_content):
            # A page's 304 is told by its version's validators, before any look-up (Flask).
            return self.inner(environ, start_response)
        try:
            answer = self._answer(request, sharing) if sharing is not None else None
        except sa.exc.SQLAlchemyError as error:
            if not is_outage(error):
                raise
            # Flask answers it: the newest copy, marked stale (pagecache.outage).
            environ[SHARING] = sharing
            answer = None
        if answer is None:
            return self.inner(environ, self._noting(environ, path, start_response))
        status, headers, body = answer
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _answer(self, request: Request, sharing: Sharing):
        with self.app.app_context():
            version, ticked = read_state(sharing)
        # Not built yet: the view answers with this same read (one round trip, not two).
        request.environ[STATE] = (sharing, version, ticked)
        remember_version(request.environ, version)
        language = choose_language(request.args.get("lang"), request.accept_languages,
                                   self.app.config["LANGUAGES"])
        key = page_key(version, ticked, language=language, environ=request.environ,
                       cookies=[request.cookies.get(name, "") for name in sharing.cookies],
                       base_url_configured=bool(self.app.config["PUBLIC_BASE_URL"]))
        stored = self.store.get(key)
        if stored is None and sharing.carried:
            # A page of an older version that still holds: carried here, Flask not entered
            # (its checks read the locale and the database: a request context, no more).
            with self.app.request_context(request.environ):
                stored = carried_once(request.environ, self.store, key, version, ticked)
        if stored is None:  # the view's decorator builds it without looking again
            request.environ[MISSED] = key
        gzipped = request.accept_encodings["gzip"] > 0
        sent = stored.final_headers.get(gzipped) if stored is not None else None
        if sent is None:
            return None
        status, headers = sent
        if stored.digest and _conditional(request.environ):
            # A calendar polling a feed: 304 while the bytes it holds are the ones kept.
            etag, modified = content_validators(stored.digest, stored.modified, gzipped)
            if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
                return NOT_MODIFIED, _without_content(headers), b""
        return status, headers, stored.gzipped if gzipped else stored.body

    def _noting(self, environ, path: str, start_response):
        """start_response that keeps the final headers of a shared answer for next time."""
        def start(status, headers, exc_info=None):
            shared = environ.get(SHARED)
            if (shared is not None and status.startswith("200 ")
                    and not any(name.lower() == "set-cookie" for name, _ in headers)):
                stored, gzipped, sharing, key = shared
                if gzipped not in stored.final_headers:
                    stored.final_headers[gzipped] = (status, list(headers))
                    # With its headers, another worker answers it here too, Flask not entered.
                    self.store.share(key, stored)
                if len(self.routes) >= _MAX_ROUTES:
                    self.routes.clear()
                self.routes[path] = sharing
            return start_response(status, headers, exc_info)
        return start


def _conditional(environ) -> bool:
    return "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ


def _without_content(headers: list) -> list:
    """The headers of a 200 fit for its 304: Werkzeug's rule (no Content-*, no
    Last-Modified), and no Content-Disposition either."""
    return [(name, value) for name, value in headers
            if not (is_entity_header(name) or name.lower().startswith("content-"))]
