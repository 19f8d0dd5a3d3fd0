"""What a shared page is keyed by, computed the same way inside Flask and before it."""
import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from gstp.extensions import db
from gstp.public_version.reading import (
    Version,
    kept_public_version,
    read_public_version,
    read_public_version_and,
)

# The latest past moment a page listing what is still to come changed by itself (a date
# ended), and the next such moment: given by the calendar, read with the version. The
# first is part of the key; the second says until when it holds.
_CLOCK: list[sa.ScalarSelect | None] = [None, None]
_kept = threading.local()  # this thread's clock: (database, version, last, next)


@dataclass(frozen=True)
class Sharing:
    """How a view's answer may be shared."""

    everyone: bool  # the same for signed-in visitors too (feeds, open data)
    clock: bool  # shows upcoming dates: changes when a date ends, without any data change
    cookies: tuple[str, ...]  # cookies the page reads, part of the key
    carried: bool = False  # a later version may answer it again (see pagecache.carried)
    by_content: bool = False  # validators from the bytes, not the version (feeds, data files)


def set_clock(latest_change: sa.ScalarSelect, next_change: sa.ScalarSelect | None = None) -> None:
    """Say when pages showing what is to come last changed by themselves, and when they
    will next (both bound to `now`); without the next, the clock is read on each request."""
    _CLOCK[:] = [latest_change, next_change]


def read_state(sharing: Sharing) -> tuple[Version, datetime | None]:
    """The public data version and, for a page with a clock, the last date ended: one read,
    none while the version kept holds and no date has ended since (kept_public_version)."""
    latest, following = _CLOCK
    if not sharing.clock or latest is None:
        return read_public_version()
    now = datetime.now(UTC)
    if following is None:
        return read_public_version(latest, now=now)
    kept = getattr(_kept, "clock", None)
    version = kept_public_version()
    if (version is not None and kept is not None and kept[:2] == (db.engine.url, version)
            and (kept[2] is None or kept[2] < now) and (kept[3] is None or now <= kept[3])):
        # Nothing ended in (last, next]: the latest end before now is still `last`.
        return version, kept[2]
    version, (ticked, until) = read_public_version_and(latest, following, now=now)
    _kept.clock = (db.engine.url, version, ticked, until)
    return version, ticked


def page_address(*, language: str, environ: dict, cookies: list[str],
                 base_url_configured: bool = True) -> str:
    """What a shared answer is of, whatever the public version: the page key less its
    version, date and clock (store.stale_key), as a database outage looks it up.

    No host in production: pages build their absolute links from PUBLIC_BASE_URL, never
    from the request. Without it (development), links follow the host, and so does the key.
    """
    host = "" if base_url_configured else environ.get("HTTP_HOST", "")
    return "\x1f".join([language, host,
                        environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                        environ.get("QUERY_STRING", ""), *cookies])


def page_key(version: Version, ticked: datetime | None, *, language: str, environ: dict,
             cookies: list[str], base_url_configured: bool = True) -> str:
    """The key of one shared answer: its version, the date (the current edition is chosen by
    it: the week after, the next one), the clock, then its address."""
    return "\x1f".join([version.tag, date.today().isoformat(), str(ticked),
                        page_address(language=language, environ=environ, cookies=cookies,
                                     base_url_configured=base_url_configured)])


def etag_of(key: str, gzipped: bool) -> str:
    """Each encoding is its own representation, with its own strong validator."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] + ("-gzip" if gzipped else "")


def digest_of(body: bytes) -> str:
    """What a by-content validator is made of: the same bytes, the same digest."""
    return hashlib.sha256(body).hexdigest()[:32]


def content_validators(digest: str, modified: int, gzipped: bool) -> tuple[str, datetime]:
    """ETag and Last-Modified of a by-content answer: a strong validator per encoding, like
    etag_of, and the moment (epoch seconds) of the version its bytes were built at."""
    return digest + ("-gzip" if gzipped else ""), datetime.fromtimestamp(modified, UTC)


def last_modified_of(version: Version, ticked: datetime | None) -> datetime:
    day_start = datetime.combine(date.today(), time()).astimezone(UTC)
    return max(version.changed_at, ticked or version.changed_at, day_start)
