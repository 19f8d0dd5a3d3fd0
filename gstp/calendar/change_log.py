"""The public change log as this process has read it: each version's rows read once.

Pages and values carried from many older versions each ask what changed since theirs; read
from the database each time, that was a query per version carried from, per worker and
per version. The rows of a committed version never change, so each process reads only
the counters it has not read yet. A database restored or rebuilt writes other tokens
under the same counters: the newest row kept is read again with the new ones, and a
different token empties what was kept.
"""
import threading

from flask import current_app

from gstp.activities import changes

_EXTENSION = "gstp.calendar.change_log"


class _Kept:
    def __init__(self) -> None:
        self.rows: dict[int, list[changes.LogRow]] = {}  # counter → its rows ([]: none logged)
        self.verified: int | None = None  # the newest counter read again from the database
        self.lock = threading.Lock()


def changes_since(counter: int, token: str | None, until: int) -> changes.Changed | None:
    """changes.changes_since, from the rows this process has read."""
    if token is None or until - counter > changes.KEPT_COUNTERS or until < counter:
        return None
    return changes.changes_in(_rows(counter, until), counter, token, until)


def _rows(low: int, high: int) -> list[changes.LogRow]:
    kept: _Kept = current_app.extensions.setdefault(_EXTENSION, _Kept())
    with kept.lock:
        missing = [c for c in range(low, high + 1) if c not in kept.rows]
        if missing or high != kept.verified:  # once per new version, at most
            # From the newest counter kept below what is read: the rows read and those kept
            # of the same counters must agree, else another database's log was kept.
            start = min(missing, default=high)
            start = max([c for c in kept.rows if c < start], default=start)
            read = _by_counter(start, high)
            if any(c in kept.rows and _tokens(kept.rows[c]) != _tokens(rows)
                   for c, rows in read.items()):
                kept.rows.clear()
                read = _by_counter(min(low, start), high)
            kept.rows.update(read)
            kept.verified = high
            for counter in [c for c in kept.rows if c < high - changes.KEPT_COUNTERS]:
                del kept.rows[counter]
        return [row for c in range(low, high + 1) for row in kept.rows[c]]


def _by_counter(low: int, high: int) -> dict[int, list[changes.LogRow]]:
    by_counter: dict[int, list[changes.LogRow]] = {c: [] for c in range(low, high + 1)}
    for row in changes.log_rows(low, high):
        by_counter[row[0]].append(row)
    return by_counter


def _tokens(rows: list[changes.LogRow]) -> set[str]:
    return {token for _c, token, _a, _e in rows}


def token_of(counter: int) -> str | None:
    """The token of the commit that made this version, if it was logged."""
    tokens = _tokens(_rows(counter, counter))
    return next(iter(tokens)) if len(tokens) == 1 else None
