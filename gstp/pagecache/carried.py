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

from flask import g

from gstp.pagecache.store import PageStore, Stored, stale_key

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


def carried_forward(store: PageStore, key: str, tag: str) -> Stored | None:
    """The newest page of the key's address, kept for this version, when it still holds."""
    old_key, old = store.newest_with_key(stale_key(key), carriable=True)
    if old is None or not old.checks or old.tag == tag:
        return None
    if old_key.split("\x1f")[_DAY_AND_CLOCK] != key.split("\x1f")[_DAY_AND_CLOCK]:
        return None  # another day (another current edition) or a date ended since
    if not all(_holds(old.tag, name, arguments) for name, arguments in old.checks):
        return None
    # The fast path's headers hold the old version's validators: noted again for this one.
    carried = replace(old, final_headers={}, tag=tag)
    store.put(key, carried)
    return carried
