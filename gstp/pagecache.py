"""Shared pages: public GETs answered from a per-process cache keyed by the public data version.

A view marked `@shared_page` is built once per (public data version, date, language,
address, cookies it reads, and for pages showing what is still to come the last date that
ended) and then answered from memory, or with a 304 when the client already holds that
version. The version is read from the database on every request, so a change made by any
process on any machine shows on the very next request; the memory only saves work, it
never decides what is current.

Only what everyone may see is shared: a signed-in visitor, a pending flash message, a
remember cookie, a CSRF token or a Set-Cookie keeps a response out of the cache and marks it
private. Shared responses carry validators and a Cache-Control that lets nginx or a CDN in
front keep them for a second and revalidate with a cheap 304 (see docs/deploy.md).
"""
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import wraps
from threading import Lock

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, make_response, request, session
from flask_babel import get_locale
from werkzeug.http import is_resource_modified

from gstp.public_version import Version, read_public_version

# Browsers revalidate each time (max-age=0); a shared cache may answer for one second,
# then serve its copy while it revalidates in the background.
SHARED_CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=30"
PRIVATE_CACHE_CONTROL = "private, no-cache"
# The latest past moment a page listing what is still to come changed by itself (a date
# ended): given by the calendar, read with the version, part of the key.
_CLOCK: list[sa.ScalarSelect | None] = [None]
_SKIPPED_HEADERS = frozenset({"set-cookie", "date", "content-length", "etag", "last-modified",
                              "cache-control", "content-encoding"})


@dataclass(frozen=True)
class Sharing:
    """How a view's answer may be shared."""

    everyone: bool  # the same for signed-in visitors too (feeds, open data)
    clock: bool  # shows upcoming dates: changes when a date ends, without any data change
    cookies: tuple[str, ...]  # cookies the page reads, part of the key


@dataclass(frozen=True)
class Stored:
    """What is kept of a response: all but the per-request headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes  # compressed once here rather than by a proxy on every request

    def __len__(self) -> int:
        return len(self.body) + len(self.gzipped)


class PageStore:
    """Recently built pages, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self._items: OrderedDict[str, Stored] = OrderedDict()
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = Lock()
        self._builds: dict[str, Lock] = {}

    def get(self, key: str) -> Stored | None:
        with self._lock:
            stored = self._items.get(key)
            if stored is not None:
                self._items.move_to_end(key)
            return stored

    def put(self, key: str, stored: Stored) -> None:
        if len(stored) > self._max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = stored
            self._bytes += len(stored)
            while self._bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    @contextmanager
    def building(self, key: str):
        """Held while one thread builds a page: the others asking for it wait, then read it."""
        with self._lock:
            lock = self._builds.setdefault(key, Lock())
        try:
            with lock:
                yield
        finally:
            with self._lock:
                self._builds.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def set_clock(latest_change: sa.ScalarSelect) -> None:
    """Say when pages showing what is to come last changed by themselves (bound: `now`)."""
    _CLOCK[0] = latest_change


def shared_page(*, everyone: bool = False, clock: bool = True,
                cookies: tuple[str, ...] = ()) -> Callable:
    """Mark a public view whose answer may be shared between the visitors it applies to."""
    sharing = Sharing(everyone, clock, cookies)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def answer(**kwargs):
            return _answer(view, kwargs, sharing)
        return answer
    return decorate


def _answer(view: Callable, kwargs: dict, sharing: Sharing) -> Response:
    anonymous = _anonymous()
    if request.method not in {"GET", "HEAD"} or not (sharing.everyone or anonymous):
        return _private(make_response(view(**kwargs)))
    if sharing.clock and _CLOCK[0] is not None:
        version, ticked = read_public_version(_CLOCK[0], now=datetime.now(UTC))
    else:
        version, ticked = read_public_version()
    key = _key(version, sharing, ticked)
    gzipped = request.accept_encodings["gzip"] > 0
    # Each encoding is its own representation, with its own strong validator.
    etag = hashlib.sha256(key.encode()).hexdigest()[:32] + ("-gzip" if gzipped else "")
    last_modified = max(version.changed_at, ticked or version.changed_at, _day_start())
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = _validators(Response(status=304), etag, last_modified)
        return _shared(response) if anonymous else _private(response)
    store: PageStore = current_app.extensions["gstp_page_store"]
    stored = store.get(key)
    if stored is None:
        with store.building(key):  # threads asking for the same page wait for one build
            stored = store.get(key)
            if stored is None:
                response = make_response(view(**kwargs))
                stored = _storable(response)
                if stored is None:
                    return _private(response)
                if current_app.config["GSTP_PAGE_CACHE"]:
                    store.put(key, stored)
    response = Response(stored.gzipped if gzipped else stored.body, status=stored.status,
                        headers=list(stored.headers))
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    _validators(response, etag, last_modified)
    # Signed in (a feed): the same bytes, but no shared cache may keep an answer to a session.
    return _shared(response) if anonymous else _private(response)


def _anonymous() -> bool:
    """Nobody signed in, no message waiting: the page is the one every visitor gets."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return ("_user_id" not in session and "_flashes" not in session
            and remember not in request.cookies)


def _key(version: Version, sharing: Sharing, ticked: datetime | None) -> str:
    # The date too: the current edition is chosen by it (the week after, the next one).
    parts = [version.tag, date.today().isoformat(), str(ticked), str(get_locale()),
             request.host_url, request.path, request.environ.get("QUERY_STRING", "")]
    parts += [request.cookies.get(name, "") for name in sharing.cookies]
    return "\x1f".join(parts)


def _day_start() -> datetime:
    return datetime.combine(date.today(), time()).astimezone(UTC)


def _storable(response: Response) -> Stored | None:
    """The response to keep, or None when it belongs to this visitor or is not a page."""
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if (response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers
            or session.modified or csrf_field in g):
        return None
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in _SKIPPED_HEADERS)
    body = response.get_data()
    return Stored(response.status_code, headers, body, gzip.compress(body, mtime=0))


def _validators(response: Response, etag: str, last_modified: datetime) -> Response:
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
    """One store per process, bounded in bytes."""
    app.extensions["gstp_page_store"] = PageStore(app.config["GSTP_PAGE_CACHE_BYTES"])

