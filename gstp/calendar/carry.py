"""What changed since a version this process worked with, and values carried across versions.

A value kept from version A (memo.carried) is brought to version B by its carry function,
told which activities the public change log names between A and B; a whole page may be
carried only when nothing but activities changed (`only_activities_changed_since`).
"""
from collections.abc import Callable

from flask import current_app

from gstp.activities import changes
from gstp.calendar import memo
from gstp.calendar.memo import memoized
from gstp.pagecache import holds_while
from gstp.public_version import request_public_version

_TOKENS = "gstp.calendar.carry.tokens"
_MAX_TOKENS = 5_000


def changed_since(tag: str) -> set[int] | None:
    """Activities changed after version `tag` up to this request's one, from the public
    change log; None when it cannot tell (then everything must be read again)."""
    logged = _logged_since(tag)
    return None if logged is None else set(logged.activities)


def only_activities_changed_since(tag: str) -> frozenset[int] | None:
    """The activities changed since version `tag`, or None when the log cannot tell or
    anything else public changed too (an edition, an organization): what decides whether
    a whole page may be carried across."""
    logged = _logged_since(tag)
    return None if logged is None or logged.others else logged.activities


def _logged_since(tag: str) -> changes.Changed | None:
    version = request_public_version()
    if tag == version.tag:
        return changes.Changed(frozenset(), others=False)
    token = _tokens().get(tag)
    if token is None:
        return None
    return memoized(("changed_since", tag), lambda: changes.changes_since(
        int(tag.split(".", 1)[0]), token, version.counter))


def _tokens() -> dict[str, str | None]:
    """The change log's token of each version this process worked with, this one included."""
    tokens = current_app.extensions.setdefault(_TOKENS, {})
    version = request_public_version()
    if version.tag not in tokens:
        if len(tokens) > _MAX_TOKENS:
            tokens.clear()  # versions that old are past the log's reach anyway
        tokens[version.tag] = changes.token_of(version.counter)
    return tokens


def carried(key, build, carry):
    """memo.carried, carry(old value, activities changed since) bringing a value forward."""
    def bring_forward(old, tag: str):
        changed = changed_since(tag)
        return None if changed is None else carry(old, changed)
    _tokens()  # this version's token, for the versions after it
    return memo.carried(key, build, bring_forward)


def nothing_but_activities_changed(tag: str) -> bool:
    """Whether only activities changed since version `tag` (each page then checks its own)."""
    return only_activities_changed_since(tag) is not None


def page_shows(activity_ids) -> None:
    """The page being built shows these activities: it is not carried past a change of one."""
    shown = frozenset(activity_ids)

    def unchanged(tag: str) -> bool:
        changed = only_activities_changed_since(tag)
        return changed is not None and not changed & shown
    holds_while(unchanged)


def page_reads(read: Callable[[], object], value: object) -> object:
    """The page being built used value = read(): carried only while read() gives it again."""
    holds_while(lambda _tag: read() == value)
    return value


def page_not_carried() -> None:
    """The page being built read what no check follows (SQL by distance): built each version."""
    holds_while(lambda _tag: False)
