"""Shared pages written to files, so the workers of one machine build each page once.

Each worker keeps its own pages in memory (store.PageStore); without this, a page asked of
five workers was built five times, and a search asked once per worker is the usual case
for the words families type. A page built by one worker is written here under its full
key (version included), and another worker missing it reads the file instead of building.
Files are written whole then renamed into place, so a reader never sees half a page; a
file that cannot be read or written only costs a build. Files of versions more than a few
versions old are removed, and the oldest beyond a count, by the worker that writes.
"""
import hashlib
import json
import logging
import os
import re
import shutil
import struct
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from gstp.pagecache.store import Stored, stale_key, version_counter

_MAGIC = b"GSTP-PAGE-1\n"
_LENGTHS = struct.Struct("!III")  # meta, body, gzipped
_NEWEST = "newest"  # name prefix of the link to the newest page of an address
KEPT_VERSIONS = 3  # versions behind the newest written whose files stay
MAX_FILES = 20_000
SWEEP_EVERY = 500  # pages written by one process between two sweeps
_CODE = frozenset({".py", ".html", ".mo", ".css", ".js", ".json", ".txt", ".svg"})
_SECRET = re.compile("SECRET|PASSWORD|KEY", re.IGNORECASE)
logger = logging.getLogger(__name__)


class PageFiles:
    """Pages of one app build and configuration in one directory, named by key."""

    def __init__(self, directory: str | Path, namespace: str | Callable[[], str]):
        # A callable is asked on first use: the app's configuration is complete by then.
        self._root, self._namespace = Path(directory), namespace
        self._written = 0
        self._failed = False

    @cached_property
    def directory(self) -> Path:
        name = self._namespace() if callable(self._namespace) else self._namespace
        self.__dict__["directory"] = directory = self._root / name
        self._make_directories()
        self.remove_other_namespaces()
        return directory

    def _make_directories(self) -> None:
        for number in range(256):
            (self.directory / f"{number:02x}").mkdir(mode=0o700, parents=True, exist_ok=True)

    # Files are spread over 256 directories by their hash: with one, the workers' creations
    # and renames queued on that directory's lock.
    def _path(self, key: str) -> Path:
        # The version's counter first: what a sweep removes is told by the name alone.
        counter, hashed = version_counter(key), _hashed(key)
        return self.directory / hashed[:2] / f"{counter}-{hashed}"

    def _address_path(self, address: str) -> Path:
        hashed = _hashed(address)
        return self.directory / hashed[:2] / f"{_NEWEST}-{hashed}"

    def get(self, key: str) -> Stored | None:
        found = self._read(self._path(key))
        return found[1] if found is not None and found[0] == key else None

    def newest(self, address: str) -> tuple[str | None, Stored | None]:
        """(key, page) of the newest page written for this address (a stale_key)."""
        found = self._read(self._address_path(address))
        if found is None or stale_key(found[0]) != address:
            return None, None
        return found

    def _read(self, path: Path) -> tuple[str, Stored] | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return _decoded(data)
        except (ValueError, KeyError, TypeError, struct.error):
            return None  # not a page of ours: built again

    def put(self, key: str, stored: Stored) -> None:
        path = self._path(key)
        self._written += 1
        temporary = path.parent / f".{os.getpid()}-{self._written}"
        try:
            self._write(temporary, _encoded(stored, key))
            os.replace(temporary, path)
            # The same file under its address: the newest page a later version may carry.
            os.link(path, temporary)
            os.replace(temporary, self._address_path(stale_key(key)))
        except FileNotFoundError:  # swept by another worker meanwhile, or directories removed
            _remove(str(temporary))
            try:
                self._make_directories()
            except OSError:
                pass  # told by the next write
        except OSError as error:
            if not self._failed:  # once per process: a full disk must not flood the log
                logger.warning("shared page files not written in %s: %s", self.directory, error)
                self._failed = True
            _remove(str(temporary))
            return
        if self._written % SWEEP_EVERY == 0:
            self.sweep(version_counter(key))

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as out:
            out.write(data)

    def sweep(self, newest: int) -> None:
        """Remove the files of versions older than the kept ones, then the oldest past MAX_FILES."""
        kept = []
        for entry in _files(self.directory):
            counter, _, _hash = entry.name.partition("-")
            if counter != _NEWEST and (not counter.isdigit()
                                       or int(counter) < newest - KEPT_VERSIONS):
                _remove(entry.path)
            else:
                try:
                    kept.append((entry.stat().st_mtime, entry.path))
                except OSError:
                    continue
        kept.sort()
        for _mtime, path in kept[:max(0, len(kept) - MAX_FILES)]:
            _remove(path)

    def remove_other_namespaces(self) -> None:
        """Remove the pages of other builds or configurations left a day untouched (an
        older release's): a running one writes to its own at every new version."""
        limit = time.time() - 24 * 3600
        for other in self.directory.parent.iterdir():
            try:
                if other != self.directory and other.stat().st_mtime < limit:
                    shutil.rmtree(other, ignore_errors=True)
            except OSError:
                continue

    def clear(self) -> None:
        for entry in _files(self.directory):
            _remove(entry.path)


def _files(directory: Path):
    """Every entry of the page directories (temporary files of a writer included)."""
    try:
        with os.scandir(directory) as subdirectories:
            for subdirectory in subdirectories:
                if subdirectory.is_dir():
                    with os.scandir(subdirectory.path) as entries:
                        yield from entries
    except OSError:
        return


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # another worker removed it first


def _encoded(stored: Stored, key: str) -> bytes:
    meta = json.dumps({"key": key, "status": stored.status, "headers": stored.headers,
                       "tag": stored.tag, "checks": stored.checks, "digest": stored.digest,
                       "modified": stored.modified,
                       "final": [[gzipped, status, headers] for gzipped, (status, headers)
                                 in list(stored.final_headers.items())]}).encode()
    return (_MAGIC + _LENGTHS.pack(len(meta), len(stored.body), len(stored.gzipped)) + meta
            + stored.body + stored.gzipped)


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _decoded(data: bytes) -> tuple[str, Stored]:
    if not data.startswith(_MAGIC):
        raise ValueError("not a page file")
    start = len(_MAGIC) + _LENGTHS.size
    meta_length, body_length, gzipped_length = _LENGTHS.unpack(data[len(_MAGIC):start])
    if len(data) != start + meta_length + body_length + gzipped_length:
        raise ValueError("truncated page file")
    meta = json.loads(data[start:start + meta_length])
    body_start = start + meta_length
    headers = tuple((str(name), str(value)) for name, value in meta["headers"])
    checks = tuple((str(name), tuple(arguments)) for name, arguments in meta["checks"])
    final = {bool(gzipped): (str(status), [(str(n), str(v)) for n, v in sent])
             for gzipped, status, sent in meta["final"]}
    return str(meta["key"]), Stored(int(meta["status"]), headers,
                                    data[body_start:body_start + body_length],
                                    data[body_start + body_length:], final_headers=final,
                                    tag=str(meta["tag"]), checks=checks,
                                    digest=str(meta["digest"]), modified=int(meta["modified"]))


def namespace(config: dict, code_roots: list[Path]) -> str:
    """What two processes must share to share pages: the same code and configuration."""
    digest = hashlib.sha256()
    for root in code_roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in _CODE and path.is_file():
                # The contents, not the dates: a catalogue compiled again is the same code.
                digest.update(f"{path.relative_to(root)}\n".encode() + path.read_bytes())
    for name in sorted(config):
        value = config[name]
        # Plain values only (an object's repr may hold its address); no secret hashed.
        if isinstance(value, str | int | float | bool | None) and not _SECRET.search(name):
            digest.update(f"{name}={value!r}\n".encode())
    return digest.hexdigest()[:24]
