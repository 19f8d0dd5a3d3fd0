"""The in-process feed cache: bounded by size, and one build per feed when threads race."""
import threading
import time

from gstp.calendar.feeds import FeedCache


def test_threads_asking_for_the_same_cold_feed_build_it_once():
    cache = FeedCache(max_bytes=1000)
    builds = []
    start = threading.Barrier(8)
    bodies = []

    def build():
        builds.append(1)
        time.sleep(0.05)  # long enough for the other threads to arrive while it builds
        return b"BEGIN:VCALENDAR"

    def ask():
        start.wait()
        bodies.append(cache.get_or_build("etag-1", build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert bodies == [b"BEGIN:VCALENDAR"] * 8
    assert cache.get_or_build("etag-2", lambda: b"other") == b"other"
    assert len(builds) == 1


def test_the_oldest_feeds_leave_when_the_size_is_exceeded():
    cache = FeedCache(max_bytes=10)
    cache.put("a", b"12345")
    cache.put("b", b"12345")
    cache.get("a")  # "a" used last: "b" is now the oldest
    cache.put("c", b"123")
    assert cache.get("b") is None
    assert cache.get("a") == b"12345" and cache.get("c") == b"123"


def test_a_feed_larger_than_the_cache_is_served_but_not_kept():
    cache = FeedCache(max_bytes=4)
    assert cache.get_or_build("big", lambda: b"123456") == b"123456"
    assert cache.get("big") is None
