"""Per-process memos of public data, valid for one public data version.

The version is read from the database once per request: a change committed by any process
or machine bumps it, so the next request of every worker builds again. Nothing here relies on
one process's memory for correctness, only for speed.
"""
import gc
import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager

from flask import current_app

from gstp.public_version import request_public_version

_EXTENSION = "gstp.calendar.memo"


def public_tag() -> str:
    """The public data version of this request (read once per request, with the page key)."""
    return request_public_version().tag


class _Store:
    """The values of one app for its latest public version and the one before (from which
    `carried` values are brought forward); older versions are dropped."""

    def __init__(self) -> None:
        self.tag: str | None = None
        self.values: dict = {}
        self.previous_tag: str | None = None
        self.previous: dict = {}
        self.lock = threading.RLock()  # a build may use another memo


def memoized(key: Hashable, build: Callable[[], object]) -> object:
    """build() once per (public data version, key) in this process.

    key must hold whatever else the value depends on: the language, the edition…
    Builds run one at a time, so a new version is built once, not by every thread at once.
    """
    tag = public_tag()
    store = current_app.extensions.setdefault(_EXTENSION, _Store())
    if store.tag == tag and key in store.values:
        return store.values[key]
    with store.lock:
        if store.tag != tag:
            store.previous_tag, store.previous = store.tag, store.values
            store.tag, store.values = tag, {}
        if key not in store.values:
            with _collector_paused():
                store.values[key] = build()
        return store.values[key]


def previous(key: Hashable) -> tuple[str | None, object]:
    """(tag, value) of key in the version before this request's one, or (None, None)."""
    store = current_app.extensions.setdefault(_EXTENSION, _Store())
    with store.lock:
        if store.tag != public_tag() or key not in store.previous:
            return None, None
        return store.previous_tag, store.previous[key]


def carried(key: Hashable, build: Callable[[], object],
            carry: Callable[[object], object | None]) -> object:
    """memoized(), but from the previous version's value when there is one: carry(old) gives
    the new value from it, or None when it cannot (then build())."""
    def bring_forward() -> object:
        tag, old = previous(key)
        value = carry(old) if tag is not None else None
        return build() if value is None else value
    return memoized(key, bring_forward)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection during a build.

    A build allocates tens of thousands of long-lived tuples: each allocation burst would
    start collections walking the whole heap (measured: half the time of an index build).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
