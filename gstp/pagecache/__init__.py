"""Shared pages: public GETs answered from a per-process cache keyed by the public data version.

A view marked `@shared_page` is built once per (public data version, date, language,
address, cookies it reads, and for pages showing what is still to come the last date that
ended) and then answered from memory, or with a 304 when the client already holds that
version. Each thread keeps the version and reads it again when PostgreSQL notifies a change
(on SQLite, on each request), so a change made by any process on any machine shows on the
next request after its notification arrives, and a process sees its own commits at once;
the memory only saves work, it never decides what is current. A page built by one worker
is also written to a file the machine's other workers read (pagecache.files), and a page
of an older version is answered again when what changed since cannot have changed it
(pagecache.carried).

Only what everyone may see is shared: a signed-in visitor, a pending flash message, a
remember cookie, a CSRF token or a Set-Cookie keeps a response out of the cache and marks it
private. Shared responses carry validators and a Cache-Control that lets nginx or a CDN in
front keep them for a second and revalidate with a cheap 304 (see docs/deploy.md). A
visitor with no cookie of the app's is answered before Flask is entered (pagecache.wsgi).
"""
import gzip
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path

from flask import Flask, Response, current_app, g, make_response, request, session
from werkzeug.http import is_resource_modified

from gstp.i18n import select_locale
from gstp.pagecache import outage
from gstp.pagecache.carried import carried_once, holds_while, page_check
from gstp.pagecache.files import PageFiles, namespace
from gstp.pagecache.keys import (
    Sharing,
    content_validators,
    digest_of,
    etag_of,
    last_modified_of,
    page_key,
    read_state,
    set_clock,
)
from gstp.pagecache.store import PageStore, Stored
from gstp.pagecache.wsgi import MISSED, SHARED, STATE, FastPages
from gstp.public_version.reading import Version

# Browsers revalidate each time (max-age=0); a shared cache may answer for one second,
# then serve its copy while it revalidates in the background.
# If the app fails (database restarting), a shared cache may keep answering its copy a day.
SHARED_CACHE_CONTROL = ("public, max-age=0, s-maxage=1, stale-while-revalidate=30, "
                        "stale-if-error=86400")
PRIVATE_CACHE_CONTROL = "private, no-cache"
_SKIPPED_HEADERS = frozenset({"set-cookie", "date", "content-length", "etag", "last-modified",
                              "cache-control", "content-encoding"})
__all__ = ["PRIVATE_CACHE_CONTROL", "SHARED_CACHE_CONTROL", "PageStore", "Stored", "holds_while",
           "init_app", "page_check", "set_clock", "shared_page"]


def shared_page(*, everyone: bool = False, clock: bool = True, cookies: tuple[str, ...] = (),
                carried: bool = False, by_content: bool = False) -> Callable:
    """Mark a public view whose answer may be shared between the visitors it applies to.

    carried: a page of a later version may be answered with this one's bytes when every
    check its build noted still holds (holds_while; a build noting none is never carried).
    by_content: its validators come from its bytes (a hash, and the Last-Modified of the
    version they were built at), so a client holding them gets 304 at any later version
    where they are the same: what calendar clients polling a feed need. Without it they
    come from the version, and a 304 is answered before the page is even looked up.
    """
    sharing = Sharing(everyone, clock, cookies, carried, by_content)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def answer(**kwargs):
            return _answer(view, kwargs, sharing)
        return answer
    return decorate


def _answer(view: Callable, kwargs: dict, sharing: Sharing) -> Response:
    request.environ[outage.SHARING] = sharing  # if the database fails: the stale copy
    anonymous = _anonymous()
    if request.method not in {"GET", "HEAD"} or not (sharing.everyone or anonymous):
        return _private(make_response(view(**kwargs)))
    noted = request.environ.get(STATE)
    version, ticked = noted[1:] if noted and noted[0] == sharing else read_state(sharing)
    key = page_key(version, ticked, language=select_locale(), environ=request.environ,
                   cookies=[request.cookies.get(name, "") for name in sharing.cookies],
                   base_url_configured=bool(current_app.config["PUBLIC_BASE_URL"]))
    gzipped = request.accept_encodings["gzip"] > 0
    if not sharing.by_content:
        etag, last_modified = etag_of(key, gzipped), last_modified_of(version, ticked)
        if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
            return _not_modified(etag, last_modified, anonymous)
    stored, built = _kept_or_built(view, kwargs, sharing, key, version, ticked, gzipped)
    if stored is None:
        return _private(built)
    if sharing.by_content:
        etag, last_modified = content_validators(stored.digest, stored.modified, gzipped)
        if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
            return _not_modified(etag, last_modified, anonymous)
    response = Response(stored.gzipped if gzipped else stored.body, status=stored.status,
                        headers=list(stored.headers))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    _validators(response, etag, last_modified)
    if not anonymous:  # a feed: the same bytes, but no shared cache may keep it for a session
        return _private(response)
    request.environ[SHARED] = (stored, gzipped, sharing, key)  # for the fast path's next answers
    return _shared(response)


def _kept_or_built(view: Callable, kwargs: dict, sharing: Sharing, key: str, version,
                   ticked, gzipped: bool) -> tuple[Stored | None, Response | None]:
    """The page kept (here or in another worker's file), carried, or built now; or, when
    what was built may not be kept, None and that response."""
    store: PageStore = current_app.extensions["gstp_page_store"]
    # The fast path looked for it an instant ago, files included: not read again.
    missed = request.environ.get(MISSED) == key
    stored = None if missed else store.get(key)
    if stored is None:
        with store.building(key):  # threads asking for the same page wait for one build
            # What a thread waited for is in memory: the file is not read a second time.
            stored = store.get(key, files=False) or carried_once(request.environ, store, key,
                                                                 version, ticked)
            if stored is None:
                g.gstp_page_checks = [] if sharing.carried else None
                response = make_response(view(**kwargs))
                stored = _storable(response, compress=gzipped, version=version, ticked=ticked,
                                   sharing=sharing, checks=g.pop("gstp_page_checks", None))
                if stored is None:
                    return None, response
                if current_app.config["GSTP_PAGE_CACHE"]:
                    store.put(key, stored)
    return stored, None


def _not_modified(etag: str, last_modified: datetime, anonymous: bool) -> Response:
    response = _validators(Response(status=304), etag, last_modified)
    return _shared(response) if anonymous else _private(response)


def _anonymous() -> bool:
    """Nobody signed in, no message waiting: the page is the one every visitor gets."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return ("_user_id" not in session and "_flashes" not in session
            and remember not in request.cookies)


def _storable(response: Response, *, compress: bool, version: Version, ticked,
              sharing: Sharing, checks: list | None) -> Stored | None:
    """The response to keep, or None when it belongs to this visitor or is not a page.

    Compressed now when kept (most clients take gzip), else only if this client takes it.
    """
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if (response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers
            or session.modified or csrf_field in g):
        return None
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in _SKIPPED_HEADERS)
    body = response.get_data()
    packed = compress or current_app.config["GSTP_PAGE_CACHE"]
    by_content = {} if not sharing.by_content else {
        "digest": digest_of(body),
        "modified": int(last_modified_of(version, ticked).timestamp())}
    return Stored(response.status_code, headers, body,
                  gzip.compress(body, compresslevel=6, mtime=0) if packed else b"",
                  tag=version.tag, checks=tuple(checks or ()), **by_content)


def _validators(response: Response, etag: str, last_modified) -> Response:
    response.set_etag(etag)
    response.last_modified = last_modified
    response.vary.update(("Accept-Encoding", "Accept-Language", "Cookie"))
    return response


def _shared(response: Response) -> Response:
    response.headers["Cache-Control"] = SHARED_CACHE_CONTROL
    return response


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def init_app(app: Flask) -> None:
    """One store per process, bounded in bytes, and the fast path in front of Flask."""
    files = None
    if app.config["GSTP_PAGE_CACHE"] and app.config["GSTP_PAGE_FILES"] is not None:
        roots = [Path(__file__).resolve().parents[1], Path(app.root_path, app.template_folder),
                 Path(app.static_folder)]
        files = PageFiles(app.config["GSTP_PAGE_FILES"] or Path(app.instance_path, "pages"),
                          lambda: namespace(app.config, roots))
    store = app.extensions["gstp_page_store"] = PageStore(app.config["GSTP_PAGE_CACHE_BYTES"],
                                                          files)
    outage.init_app(app)
    if app.config["GSTP_PAGE_CACHE"]:
        app.wsgi_app = FastPages(app, app.wsgi_app, store)
