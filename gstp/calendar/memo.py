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
    """The values of one app for its latest public version; older versions are dropped."""

    def __init__(self) -> None:
        self.tag: str | None = None
        self.values: dict = {}
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
            store.tag, store.values = tag, {}
        if key not in store.values:
            with _collector_paused():
                store.values[key] = build()
        return store.values[key]


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
