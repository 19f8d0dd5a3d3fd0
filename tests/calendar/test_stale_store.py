"""The page store's newest copy per address: what a database outage is answered with."""
from gstp.pagecache.outage import address
from gstp.pagecache.store import PageStore, Stored, stale_key


def _stored(body: bytes) -> Stored:
    return Stored(200, (("Content-Type", "text/html"),), body, b"")


def _key(version: str, path: str, language: str = "fr") -> str:
    return "\x1f".join([version, "2026-11-16", "None", language, path, "", ""])


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
