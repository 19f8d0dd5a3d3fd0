"""What changed since a version, and what is carried across versions because of it.

A value kept from version A (memo.carried) is brought to version B by its carry function,
told which activities the public change log names between A and B. A whole page
(pagecache.carried) is carried only when nothing but activities changed, none of those it
shows (`page_shows`), and every registered reader it used (`page_reads`: its page of ids,
its days, its counts, its filter lists) gives the same value again.
"""
import hashlib
from collections.abc import Callable

from flask import current_app

from gstp.activities import changes
from gstp.calendar import change_log, memo
from gstp.calendar.memo import memoized
from gstp.pagecache import holds_while, page_check
from gstp.pagecache.store import version_counter
from gstp.public_version.reading import request_public_version

_TOKENS = "gstp.calendar.carry.tokens"
_MAX_TOKENS = 5_000


def changed_since(tag: str) -> set[int] | None:
    """Activities changed after version `tag` up to this request's one, from the public
    change log; None when it cannot tell (then everything must be read again)."""
    logged = _logged_since(tag)
    return None if logged is None else set(logged.activities)


def only_activities_changed_since(tag: str, token: str | None) -> frozenset[int] | None:
    """The activities changed since version `tag` (whose change log token it was), or None
    when the log cannot tell or anything else public changed too (an edition, an
    organization): what decides whether a whole page may be carried across."""
    logged = _logged_since(tag, token)
    return None if logged is None or logged.others else logged.activities


def _logged_since(tag: str, token: str | None = None) -> changes.Changed | None:
    version = request_public_version()
    if tag == version.tag:
        return changes.Changed(frozenset(), others=False)
    token = token or _tokens().get(tag)
    if token is None:
        return None
    return memoized(("changed_since", tag, token), lambda: change_log.changes_since(
        version_counter(tag), token, version.counter))


def _tokens() -> dict[str, str | None]:
    """The change log's token of each version this process worked with, this one included."""
    tokens = current_app.extensions.setdefault(_TOKENS, {})
    version = request_public_version()
    if version.tag not in tokens:
        if len(tokens) > _MAX_TOKENS:
            tokens.clear()  # versions that old are past the log's reach anyway
        tokens[version.tag] = change_log.token_of(version.counter)
    return tokens


def carried(key, build, carry):
    """memo.carried, carry(old value, activities changed since) bringing a value forward."""
    def bring_forward(old, tag: str):
        changed = changed_since(tag)
        return None if changed is None else carry(old, changed)
    _tokens()  # this version's token, for the versions after it
    return memo.carried(key, build, bring_forward)


_READERS: dict[str, Callable[..., object]] = {}


# Each check first asks the change log, from the token of the version the page was built
# at (which any process can tell, unlike the tag alone), whether only activities changed.
@page_check("shows")
def _shows(tag: str, token: str, *activity_ids: int) -> bool:
    changed = only_activities_changed_since(tag, token)
    return changed is not None and changed.isdisjoint(activity_ids)


@page_check("reads")
def _reads(tag: str, token: str, reader: str, arguments: list, digest: str) -> bool:
    read = _READERS.get(reader)
    return (only_activities_changed_since(tag, token) is not None and read is not None
            and _digest(read(*arguments)) == digest)


def version_token() -> str | None:
    """The change log token of this request's version (what a page check starts from)."""
    return _tokens()[request_public_version().tag]


def page_shows(activity_ids) -> None:
    """The page being built shows these activities: it is not carried past a change of one."""
    holds_while("shows", version_token(), *sorted(set(activity_ids)))


def page_reader(name: str) -> Callable:
    """Register read(*arguments) (plain JSON values), whose value a page may be carried on."""
    def register(read: Callable[..., object]) -> Callable[..., object]:
        _READERS[name] = read
        return read
    return register


def page_reads(reader: str, *arguments) -> object:
    """The registered reader's value for these arguments, used by the page being built: the
    page is carried only while the reader gives it again."""
    value = _READERS[reader](*arguments)
    holds_while("reads", version_token(), reader, list(arguments), _digest(value))
    return value


def page_not_carried() -> None:
    """The page being built read what no check follows (SQL by distance): built each version."""
    holds_while("never")  # no check of that name: it never holds


_DIGESTED: dict[int, tuple[object, str]] = {}  # id → (value, digest) of values kept across versions


def _digest(value: object) -> str:
    # The repr of the plain values readers give (ids, counts, dates, rendered options). The
    # filter lists are one object carried across versions, and long: digested once.
    kept = _DIGESTED.get(id(value))
    if kept is not None and kept[0] is value:
        return kept[1]
    digest = hashlib.sha256(repr(value).encode()).hexdigest()
    if isinstance(value, dict):
        if len(_DIGESTED) >= 64:
            _DIGESTED.clear()
        _DIGESTED[id(value)] = (value, digest)
    return digest
