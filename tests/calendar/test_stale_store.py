"""The page store's newest copy per address: what a database outage is answered with."""
from datetime import UTC, datetime

from gstp.pagecache.files import PageFiles
from gstp.pagecache.keys import page_address, page_key
from gstp.pagecache.store import PageStore, Stored, stale_key
from gstp.public_version.reading import Version


def _stored(body: bytes) -> Stored:
    return Stored(200, (("Content-Type", "text/html"),), body, b"")


def _key(version: str, path: str, language: str = "fr") -> str:
    """The key the page cache gives this page at that version (the same function)."""
    counter, seconds = (int(part) for part in version.split("."))
    changed = datetime.fromtimestamp(seconds, UTC)
    return page_key(Version(counter, changed), None, language=language, cookies=[""],
                    environ={"PATH_INFO": path, "QUERY_STRING": ""})


def address(environ: dict, language: str, cookies: list[str]) -> str:
    return page_address(language=language, environ=environ, cookies=cookies)


def test_the_newest_version_of_each_address_is_kept_apart():
    store = PageStore(10_000)
    store.put(_key("1.100", "/activites"), _stored(b"ancienne"))
    store.put(_key("2.200", "/activites"), _stored(b"nouvelle"))
    store.put(_key("2.200", "/activites", "en"), _stored(b"english"))
    where = address({"PATH_INFO": "/activites", "QUERY_STRING": ""}, "fr", [""])
    assert where == stale_key(_key("9.900", "/activites"))
    assert store.newest(where).body == b"nouvelle"
    assert store.newest(address({"PATH_INFO": "/activites"}, "en", [""])).body == b"english"
    assert store.newest(address({"PATH_INFO": "/jamais"}, "fr", [""])) is None


def test_an_evicted_page_is_no_longer_offered():
    store = PageStore(20)
    store.put(_key("1.100", "/a"), _stored(b"x" * 12))
    store.put(_key("1.100", "/b"), _stored(b"y" * 12))  # pushes /a out
    assert store.newest(address({"PATH_INFO": "/a"}, "fr", [""])) is None
    assert store.newest(address({"PATH_INFO": "/b"}, "fr", [""])).body == b"y" * 12
    store.clear()
    assert store.newest(address({"PATH_INFO": "/b"}, "fr", [""])) is None


def test_a_page_another_worker_wrote_is_offered_in_an_outage(tmp_path):
    """Workers share page files: the one asked during an outage answers what another built."""
    builder = PageStore(10_000, PageFiles(tmp_path, "release"))
    asked = PageStore(10_000, PageFiles(tmp_path, "release"))
    asked.put(_key("1.100", "/activites/7"), _stored(b"ancienne"))
    built = _key("2.200", "/activites/7")
    builder.put(built, _stored(b"nouvelle"))
    builder.share(built, _stored(b"nouvelle"))
    where = address({"PATH_INFO": "/activites/7", "QUERY_STRING": ""}, "fr", [""])
    assert asked.newest(where).body == b"nouvelle"
    assert asked.newest(address({"PATH_INFO": "/activites/8"}, "fr", [""])) is None
