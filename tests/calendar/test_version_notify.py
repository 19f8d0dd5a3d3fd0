"""The public version without a round trip: PostgreSQL notifies each change, SQLite is read.

A change made elsewhere (another engine, SQL typed by hand) shows on a next request once
its notification arrived: the tests ask again a bounded number of times, they time nothing.
"""
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import sqlalchemy as sa

from gstp.activities.models import Occurrence
from gstp.extensions import db
from gstp.public_version.reading import CHANNEL
from tests.calendar.conftest import TORONTO, make_activity
from tests.calendar.test_page_cache import _statements
from tests.factories import OrganizationFactory

# With a clock, and without; pages, whose validators follow the version (the open-data
# files' follow their bytes).
PAGES = ("/activites", "/donnees")
BUMP = "UPDATE public_data_version SET counter = counter + 1 WHERE id = 1"



def _typed_elsewhere(database_url: str, *statements: str) -> None:
    """SQL committed by another engine of its own, as another worker or psql would."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as other:
            for statement in statements:
                other.execute(sa.text(statement))
    finally:
        engine.dispose()


def _until(check, tries: int = 200):
    """Ask again until `check()` gives something true (a notification is on its way)."""
    for _ in range(tries):
        found = check()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError("never seen")


def _etags(client, pages=PAGES) -> dict[str, str]:
    return {url: client.get(url).headers["ETag"] for url in pages}


def _settled(client, pages=PAGES) -> dict[str, str]:
    """The ETags once the notifications of the test's own commits have come in (PostgreSQL:
    they arrive after the commit, and each makes the next request read once more)."""
    def quiet():
        with _statements() as statements:
            etags = _etags(client, pages)
        return etags if not statements or not _postgresql() else None
    _etags(client, pages)  # the first answers, built by Flask, teach the fast path the routes
    return _until(quiet)


def _postgresql() -> bool:
    return db.engine.name == "postgresql"


def test_a_change_typed_by_hand_elsewhere_shows_once_notified(client, database_url, edition):
    make_activity(edition, title="Avant")
    before = _settled(client)
    _typed_elsewhere(database_url, BUMP)
    _until(lambda: all(etag != before[url] for url, etag in _etags(client).items()))
    make_activity(edition, title="Ailleurs")
    _typed_elsewhere(database_url, "UPDATE activity SET title = 'Renommée à la main' "
                                   "WHERE title = 'Ailleurs'", BUMP)
    _until(lambda: "Renommée à la main" in client.get("/activites").get_data(as_text=True))


def test_no_round_trip_while_nothing_changes_and_own_commits_show_at_once(client, edition):
    make_activity(edition, title="Stable")
    first = _settled(client)
    with _statements() as statements:
        again = _etags(client)
    assert again == first
    # PostgreSQL: nothing notified, no statement at all; SQLite: the version, read each time.
    assert len(statements) == (0 if _postgresql() else len(PAGES))
    OrganizationFactory()  # a commit of this process: seen on the very next request
    with _statements() as statements:
        changed = _etags(client)
    assert all(changed[url] != first[url] for url in PAGES)
    assert any("public_data_version" in statement for statement in statements)


def test_the_listening_connection_killed_still_answers_the_right_version(
        client, database_url, edition):
    if not _postgresql():
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")
    make_activity(edition, title="Tenace")
    first = _settled(client)
    db.session.execute(sa.text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'gstp-version' AND datname = current_database()"))
    db.session.commit()
    assert _etags(client) == first  # nothing changed: the same version, whichever way read
    _typed_elsewhere(database_url, BUMP)  # no listener is left to be told by this one
    _until(lambda: all(etag != first[url] for url, etag in _etags(client).items()))
    # A new connection listens again: once more no round trip, and the next change shows.
    settled = _settled(client)
    _typed_elsewhere(database_url, BUMP)
    _until(lambda: all(etag != settled[url] for url, etag in _etags(client).items()))


def test_a_date_that_ends_changes_the_key_without_any_data_change(client, edition):
    soon = datetime.now(UTC) + timedelta(seconds=3)
    make_activity(edition, title="Finit bientôt", occurrences=[Occurrence(
        starts_at=soon - timedelta(hours=1), ends_at=soon, time_zone=TORONTO.key)])
    make_activity(edition, title="Plus tard")
    first = _settled(client, ["/activites"])["/activites"]
    # Settled before the end (a loaded machine would skip this check, not fail it): the
    # clock is kept until its next end, no round trip.
    if datetime.now(UTC) < soon - timedelta(seconds=0.5):
        with _statements() as statements:
            assert client.get("/activites").headers["ETag"] == first
        assert len(statements) == (0 if _postgresql() else 1)
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.2)
    with _statements() as statements:
        later = client.get("/activites")
    assert later.headers["ETag"] != first
    assert "Finit bientôt" not in later.get_data(as_text=True)
    assert "Plus tard" in later.get_data(as_text=True)
    assert len(statements) >= 1  # the clock, read again once its next end had passed


def test_every_write_of_the_row_notifies(app, database_url):
    if not _postgresql():
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")
    url = sa.engine.make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        OrganizationFactory()  # the app's bump (UPDATE, or INSERT of the first row)
        counter = db.session.execute(sa.text(
            "SELECT counter FROM public_data_version")).scalar_one()
        db.session.commit()
        _typed_elsewhere(database_url, BUMP)  # typed by hand
        received = [n.payload for n in listener.notifies(timeout=5, stop_after=2)]
    assert received == [str(counter), str(counter + 1)]
