"""Per-process memos of public data, valid for one public data version.

The version is read once per request: a change committed by any process or machine bumps
it, so the next request of every worker builds again. Nothing here relies on one process's
memory for correctness, only for speed.

A `carried` value outlives its version: it is kept with the version it was last made for,
and a later version brings it forward from there (its carry function is told that
version), however many versions passed meanwhile. A page asked once every few versions is
then carried too, not only one asked at every version.
"""
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager

from flask import current_app

from gstp.public_version.reading import request_public_version

_EXTENSION = "gstp.calendar.memo"
# Carried values kept whatever their version, least recently used dropped first: the
# searches of a day (their ranks), the organizations' lists, cards and filter lists.
MAX_CARRIED = 5_000


def public_tag() -> str:
    """The public data version of this request (read once per request, with the page key)."""
    return request_public_version().tag


class _Store:
    """The values of one app for its latest public version, and the carried values with the
    version each was last made for."""

    def __init__(self) -> None:
        self.tag: str | None = None
        self.values: dict = {}
        self.carried: OrderedDict[Hashable, tuple[str, object]] = OrderedDict()
        self.lock = threading.RLock()  # a build may use another memo


def _store() -> _Store:
    return current_app.extensions.setdefault(_EXTENSION, _Store())


def memoized(key: Hashable, build: Callable[[], object]) -> object:
    """build() once per (public data version, key) in this process.

    key must hold whatever else the value depends on: the language, the edition…
    Builds run one at a time, so a new version is built once, not by every thread at once.
    """
    tag = public_tag()
    store = _store()
    if store.tag == tag and key in store.values:
        return store.values[key]
    with store.lock:
        if store.tag != tag:
            store.tag, store.values = tag, {}
        if key not in store.values:
            with _collector_paused():
                store.values[key] = build()
        return store.values[key]


def carried(key: Hashable, build: Callable[[], object],
            carry: Callable[[object, str], object | None]) -> object:
    """memoized(), but from the value kept of an earlier version when there is one:
    carry(old value, its version's tag) gives the new value, or None when it cannot (then
    build())."""
    store = _store()

    def bring_forward() -> object:
        with store.lock:
            kept = store.carried.get(key)
        value = carry(kept[1], kept[0]) if kept is not None else None
        return build() if value is None else value
    tag, value = public_tag(), memoized(key, bring_forward)
    with store.lock:
        store.carried[key] = (tag, value)
        store.carried.move_to_end(key)
        while len(store.carried) > MAX_CARRIED:
            store.carried.popitem(last=False)
    return value


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
