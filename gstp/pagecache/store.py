"""The per-process store of shared pages: bounded in bytes, least recently used out first.

It also knows the newest page built for each address whatever the public version: what
is answered, marked stale, while the database cannot be reached (see pagecache.outage).
"""
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from threading import Lock


@dataclass(frozen=True)
class Stored:
    """What is kept of a response: all but the per-request headers."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes  # compressed once here rather than by a proxy on every request
    # The final headers Flask sent for it, plain and gzipped (security headers included),
    # once seen: what the WSGI fast path answers with (see pagecache.wsgi).
    final_headers: dict = field(default_factory=dict, compare=False)
    # The version it was built for, and what tells, at a later version, that it still holds
    # (empty: it never does; see pagecache.holds_while).
    tag: str = field(default="", compare=False)
    checks: tuple = field(default=(), compare=False)
    # Validators from the bytes (Sharing.by_content): a hash of the body, and the
    # Last-Modified of the version they were built at (epoch seconds); empty and 0 otherwise.
    digest: str = field(default="", compare=False)
    modified: int = field(default=0, compare=False)

    def __len__(self) -> int:
        return len(self.body) + len(self.gzipped)


class PageStore:
    """Recently built pages, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int, files=None):
        self._files = files  # a files.PageFiles shared with the machine's other workers
        self._items: OrderedDict[str, Stored] = OrderedDict()
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = Lock()
        self._builds: dict[str, Lock] = {}
        self._newest: dict[str, str] = {}  # stale_key(key) -> key of the newest page kept
        self._carriable: dict[str, str] = {}  # the same, of the pages kept with checks

    def get(self, key: str, *, files: bool = True) -> Stored | None:
        """The page kept for key, else (files) the one another worker wrote."""
        with self._lock:
            stored = self._items.get(key)
            if stored is not None:
                self._items.move_to_end(key)
                return stored
        stored = self._files.get(key) if files and self._files is not None else None
        if stored is not None:  # built by another worker: kept here too
            self.put(key, stored)
        return stored

    def share(self, key: str, stored: Stored) -> None:
        """Hand a page answered here, with its final headers, to the machine's other workers."""
        if self._files is not None:
            self._files.put(key, stored)

    def put(self, key: str, stored: Stored) -> None:
        """Keep a page built (or carried) here."""
        if len(stored) > self._max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = stored
            self._newest[stale_key(key)] = key  # built after the ones before: the newest
            if stored.checks:
                self._carriable[stale_key(key)] = key
            self._bytes += len(stored)
            while self._bytes > self._max_bytes:
                dropped_key, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)
                for newest in (self._newest, self._carriable):
                    if newest.get(stale_key(dropped_key)) == dropped_key:
                        del newest[stale_key(dropped_key)]

    def newest(self, address: str) -> Stored | None:
        """The newest page kept for `address` (a stale_key), of whatever public version."""
        return self.newest_with_key(address)[1]

    def newest_with_key(self, address: str, *,
                        carriable: bool = False) -> tuple[str | None, Stored | None]:
        """(key, page) of the newest page kept for `address`, here or in another worker's
        files (of those with the checks that may carry it, when carriable), or (None, None)."""
        with self._lock:
            key = (self._carriable if carriable else self._newest).get(address)
            stored = self._items.get(key) if key is not None else None
        if self._files is not None:  # another worker's may be newer (in an outage too)
            written_key, written = self._files.newest(address)
            if written is not None and (written.checks or not carriable) and (
                    stored is None or version_counter(written_key) > version_counter(key)):
                return written_key, written
        return (key, stored) if stored is not None else (None, None)

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
        if self._files is not None:
            self._files.clear()
        with self._lock:
            self._items.clear()
            self._newest.clear()
            self._carriable.clear()
            self._bytes = 0


def stale_key(key: str) -> str:
    """A page key (see keys.page_key) without its version, date and clock: the address."""
    return "\x1f".join(key.split("\x1f")[3:])


def version_counter(key: str) -> int:
    """The public version's counter a page key (or a version tag) starts with."""
    return int(key.split(".", 1)[0])
