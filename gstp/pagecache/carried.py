"""Shared pages carried across public versions that left them the same.

A page built for version A is kept under A's key. When version B is asked and that page
is the newest of its address, the checks its build noted (`holds_while`: nothing but
activities changed, not those it shows, and the rows it listed are the same ones in the
same order) are asked, at B, with A's tag. When all hold, the same bytes are answered for
B without building them again; any check failing, or none noted, builds.

A check is data, a registered name and plain arguments (`page_check`), so it travels with
the page in its shared file: any worker may carry a page another one built.
"""
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from flask import g
from werkzeug.http import http_date, quote_etag

from gstp.pagecache.keys import etag_of, last_modified_of
from gstp.pagecache.store import PageStore, Stored, stale_key
from gstp.public_version.reading import Version

_TRIED = "gstp.pagecache.carry_tried"  # environ: the key a carry was already tried for
_DAY_AND_CLOCK = slice(1, 3)  # of a page key: what a carried page must share with the new one
_CHECKS: dict[str, Callable[..., bool]] = {}


def page_check(name: str) -> Callable:
    """Register check(tag, *arguments): whether what changed since version `tag` left what
    a page read with those arguments the same."""
    def register(check: Callable[..., bool]) -> Callable[..., bool]:
        _CHECKS[name] = check
        return check
    return register


def holds_while(name: str, *arguments) -> None:
    """While a page that may be carried is built: the registered check `name`, asked at a
    later version with these arguments (plain JSON values), must hold to carry it."""
    checks = g.get("gstp_page_checks")
    if checks is not None:
        checks.append((name, arguments))


def _holds(tag: str, name: str, arguments) -> bool:
    check = _CHECKS.get(name)
    return check is not None and check(tag, *arguments)


def carried_forward(store: PageStore, key: str, version: Version,
                    ticked: datetime | None) -> Stored | None:
    """The newest page of the key's address, kept and shared for this version, when it
    still holds; the headers it was answered with get this version's validators, unless
    they are those of its bytes (by content), which it keeps."""
    old_key, old = store.newest_with_key(stale_key(key), carriable=True)
    if old is None or not old.checks or old.tag == version.tag:
        return None
    if old_key.split("\x1f")[_DAY_AND_CLOCK] != key.split("\x1f")[_DAY_AND_CLOCK]:
        return None  # another day (another current edition) or a date ended since
    if not all(_holds(old.tag, name, arguments) for name, arguments in old.checks):
        return None
    if old.digest:  # validators of its bytes: they stay, so its clients get 304
        carried = replace(old, tag=version.tag, final_headers=dict(old.final_headers))
    else:  # validators of its version, as the view's decorator answers them
        last_modified = http_date(last_modified_of(version, ticked))
        carried = replace(old, tag=version.tag, final_headers={
            gzipped: (status, [(name, quote_etag(etag_of(key, gzipped)) if name == "ETag"
                                else last_modified if name == "Last-Modified" else value)
                               for name, value in headers])
            for gzipped, (status, headers) in list(old.final_headers.items())})
    store.put(key, carried)
    if carried.final_headers:  # else shared once answered (pagecache.wsgi)
        store.share(key, carried)
    return carried


def carried_once(environ: dict, store: PageStore, key: str, version: Version,
                 ticked: datetime | None) -> Stored | None:
    """carried_forward, asked once per request and key: a page the fast path could not
    carry is not checked again by the view's decorator before it is built."""
    if environ.get(_TRIED) == key:
        return None
    environ[_TRIED] = key
    return carried_forward(store, key, version, ticked)
