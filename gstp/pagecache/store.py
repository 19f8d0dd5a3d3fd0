"""The per-process store of shared pages: bounded in bytes, least recently used out first."""
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

    def __len__(self) -> int:
        return len(self.body) + len(self.gzipped)


class PageStore:
    """Recently built pages, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int):
        self._items: OrderedDict[str, Stored] = OrderedDict()
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = Lock()
        self._builds: dict[str, Lock] = {}

    def get(self, key: str) -> Stored | None:
        with self._lock:
            stored = self._items.get(key)
            if stored is not None:
                self._items.move_to_end(key)
            return stored

    def put(self, key: str, stored: Stored) -> None:
        if len(stored) > self._max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = stored
            self._bytes += len(stored)
            while self._bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

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
        with self._lock:
            self._items.clear()
            self._bytes = 0
