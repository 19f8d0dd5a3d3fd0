"""Shared pages carried across public versions that left them the same.

A page built for version A is kept under A's key. When version B is asked and that page
is the newest of its address, the checks its build noted are asked, at B, with A's tag:
the view's own (`shared_page(carried_while=…)`: e.g. nothing but activities changed) and
those the code it ran added (`holds_while`: the activities it shows did not change, the
rows it listed are the same ones in the same order). When all hold, the same bytes are
answered for B without building them again; any check failing, or none noted, builds.
"""
from collections.abc import Callable
from dataclasses import replace

from flask import g

from gstp.pagecache.store import PageStore, Stored, stale_key

_DAY_AND_CLOCK = slice(1, 3)  # of a page key: what a carried page must share with the new one


def holds_while(check: Callable[[str], bool]) -> None:
    """While a page that may be carried is built: check(tag of its version), asked at a later
    version, says whether what the build just read is still the same."""
    checks = g.get("gstp_page_checks")
    if checks is not None:
        checks.append(check)


def carried_forward(store: PageStore, key: str, tag: str) -> Stored | None:
    """The newest page of the key's address, kept for this version, when it still holds."""
    old_key, old = store.newest_with_key(stale_key(key), carriable=True)
    if old is None or not old.checks or old.tag == tag:
        return None
    if old_key.split("\x1f")[_DAY_AND_CLOCK] != key.split("\x1f")[_DAY_AND_CLOCK]:
        return None  # another day (another current edition) or a date ended since
    if not all(check(old.tag) for check in old.checks):
        return None
    # The fast path's headers hold the old version's validators: noted again for this one.
    carried = replace(old, final_headers={}, tag=tag)
    store.put(key, carried)
    return carried
