"""Shared pages: every public page, cached by one process, shows any change on the next request.

The oracle is a second application on the same database with the cache off: after each
change, the cached answer must be byte for byte what a fresh build gives now.
"""
import gzip
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from gstp import create_app
from gstp.activities.models import ActivityState
from gstp.activities.moderation import set_state
from gstp.activities.occurrences import OccurrenceInput
from gstp.activities.services import update_activity
from gstp.editions.services import ensure_editions
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.organizations.services import update_organization
from gstp.pagecache import SHARED_CACHE_CONTROL
from tests.calendar.conftest import make_activity, occurrence_on
from tests.conftest import IsolatedClient, _config_dict
from tests.factories import EditionFactory, StaffFactory

PAGES = {
    "home": lambda a: "/",
    "list": lambda a: "/activites",
    "list by region and category": lambda a: (
        f"/activites?region={a.region_code}&category={a.category.value}"),
    "week": lambda a: "/calendrier",
    "day": lambda a: f"/calendrier?date={a.occurrences[0].starts_at.date().isoformat()}",
    "map": lambda a: "/carte",
    "activity": lambda a: f"/activites/{a.id}",
    "organization": lambda a: f"/organismes/{a.organization.slug}",
    "edition feed": lambda a: "/calendrier.ics",
    "region feed": lambda a: f"/regions/{a.region_code}/calendrier.ics",
    "json": lambda a: "/donnees/activites.json?all=1",
    "geojson": lambda a: "/donnees/activites.geojson?all=1",
}
# Pages that list the activity itself, hence must differ after a change to it (the map
# page draws its points from the GeoJSON)…
LISTING = set(PAGES) - {"map"}
# …but for what some of them do not show: the GeoJSON has no dates and no municipality,
# the day page shows its own date only, the week and day show no organization.
UNSHOWN = {"date added": {"day", "geojson"}, "date removed": {"day", "geojson"},
           "organization renamed": {"week", "day"}, "municipality renamed": {"geojson"}}


def _local_dates(activity) -> list[OccurrenceInput]:
    rows = []
    for occurrence in activity.occurrences:
        zone = ZoneInfo(occurrence.time_zone)
        start, end = occurrence.starts_at.astimezone(zone), occurrence.ends_at.astimezone(zone)
        rows.append(OccurrenceInput(start.date(), start.time(), end.time(), occurrence.uid))
    return rows


def _edit(activity, **fields) -> None:
    update_activity(activity=activity, actor=None, fields=fields, dates=_local_dates(activity))


def _add_date(activity) -> None:
    last = _local_dates(activity)[-1]
    update_activity(activity=activity, actor=None, fields={}, dates=[
        *_local_dates(activity), OccurrenceInput(last.day + timedelta(days=1), last.starts,
                                                 last.ends)])


def _remove_date(activity) -> None:
    update_activity(activity=activity, actor=None, fields={},
                    dates=_local_dates(activity)[:1])


def _rename_municipality(activity) -> None:
    db.session.get(Municipality, activity.municipality_code).name = "Québec-Renommée"


CHANGES = {
    "edit": lambda a: _edit(a, title="Titre corrigé après publication"),
    "cancel": lambda a: set_state(activity=a, state=ActivityState.CANCELLED, actor=StaffFactory()),
    "date added": _add_date,
    "date removed": _remove_date,
    "organization renamed": lambda a: update_organization(organization=a.organization,
                                                          name="Organisme renommé"),
    "municipality renamed": _rename_municipality,
}


@pytest.fixture(scope="module")
def fresh_app(database_url):
    """Another process on the same database, building every page afresh (the oracle)."""
    from gstp.config import TestConfig

    application = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                              "GSTP_PAGE_CACHE": False})
    application.test_client_class = IsolatedClient
    yield application
    with application.app_context():
        db.engine.dispose()


@contextmanager
def _statements():
    """The SQL statements run meanwhile, on any engine."""
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)
    sa.event.listen(sa.Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", note)


def _bodies(client, urls) -> dict:
    answers = {name: client.get(url) for name, url in urls.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(urls, 200)
    return {name: r.get_data() for name, r in answers.items()}


@pytest.mark.parametrize("change", CHANGES)
def test_every_page_shows_a_change_on_the_next_request(app, client, fresh_app, edition, change):
    activity = make_activity(edition, title="Heure du conte partagée", municipality_code="23027",
                             occurrences=[occurrence_on(edition, day=2),
                                          occurrence_on(edition, day=3)])
    urls = {name: page(activity) for name, page in PAGES.items()}
    before = _bodies(client, urls)
    with _statements() as statements:
        assert _bodies(client, urls) == before
    # A cached answer costs at most one statement, reading the public data version: none on
    # PostgreSQL, where nothing was notified since (public_version.kept_public_version).
    assert len(statements) == (0 if db.engine.name == "postgresql" else len(urls))
    assert all("public_data_version" in statement for statement in statements)

    municipality = db.session.get(Municipality, activity.municipality_code)
    old_name = municipality.name
    try:
        CHANGES[change](db.session.get(type(activity), activity.id))
        db.session.commit()

        after = _bodies(client, urls)
        assert after == _bodies(fresh_app.test_client(), urls)
        shown = LISTING - UNSHOWN.get(change, set())
        assert {name for name in urls if after[name] != before[name]} >= shown
    finally:
        municipality.name = old_name  # reference rows are shared by the whole run
        db.session.commit()


def test_a_new_published_activity_and_a_new_edition_show_at_once(app, client, fresh_app):
    today = date.today()
    past = EditionFactory(year=today.year - 2)
    activity = make_activity(past, title="Atelier d'une édition passée",
                             state=ActivityState.SUBMITTED)
    urls = {name: page(activity) for name, page in PAGES.items() if name != "activity"}
    before = _bodies(client, urls)
    set_state(activity=activity, state=ActivityState.PUBLISHED, actor=StaffFactory())
    db.session.commit()
    published = _bodies(client, urls)
    assert published == _bodies(fresh_app.test_client(), urls)
    assert "Atelier d'une édition passée" in published["edition feed"].decode()
    assert published["edition feed"] != before["edition feed"]

    ensure_editions(today.year + 1)  # next year's week becomes the current edition
    db.session.commit()
    renewed = _bodies(client, urls)
    assert renewed == _bodies(fresh_app.test_client(), urls)
    assert "Atelier d'une édition passée" not in renewed["edition feed"].decode()
    assert str(today.year + 1) in renewed["week"].decode()


def test_a_change_made_elsewhere_shows_in_this_process(app, client, database_url, edition):
    activity = make_activity(edition, title="Vu d'ici")
    client.get("/activites")
    engine = sa.create_engine(database_url)  # another machine: its own engine and session
    try:
        with engine.begin() as other:
            other.execute(sa.text("UPDATE activity SET title = 'Vu d''ailleurs' WHERE id = :id"),
                          {"id": activity.id})
            other.execute(sa.text("UPDATE public_data_version SET counter = counter + 1"))
    finally:
        engine.dispose()
    # Seen on the next request once notified (PostgreSQL): a few tries at most.
    for _ in range(100):
        if "Vu d&#39;ailleurs" in client.get("/activites").get_data(as_text=True):
            break
        time.sleep(0.02)
    else:
        raise AssertionError("the change made elsewhere was never seen")


def test_a_date_that_ends_leaves_the_lists_at_once_without_any_change(client, edition):
    from gstp.activities.models import Occurrence

    now = datetime.now(UTC)
    ending = make_activity(edition, title="Se termine à l'instant", occurrences=[Occurrence(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(seconds=1.5),
        time_zone="America/Toronto")])
    make_activity(edition, title="Plus tard")
    for url in ("/activites", "/donnees/activites.json"):
        assert "Se termine" in client.get(url).get_data(as_text=True)
    time.sleep(max(0.0, (ending.occurrences[0].ends_at - datetime.now(UTC)).total_seconds()) + 0.2)
    for url in ("/activites", "/donnees/activites.json"):
        text = client.get(url).get_data(as_text=True)
        assert "Se termine" not in text and "Plus tard" in text
    assert "Se termine" in client.get("/calendrier.ics").get_data(as_text=True)  # past dates too


def test_headers_and_revalidation(client, edition):
    make_activity(edition, title="Une activité")
    first = client.get("/activites")
    assert first.headers["Cache-Control"] == SHARED_CACHE_CONTROL
    assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= set(
        first.headers["Vary"].replace(" ", "").split(","))
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "Set-Cookie" not in first.headers
    again = client.get("/activites", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    since = client.get("/activites", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    make_activity(edition, title="Une autre")
    changed = client.get("/activites", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "Une autre" in changed.get_data(as_text=True)


def test_clients_that_accept_gzip_get_the_same_page_compressed(client, edition):
    make_activity(edition, title="Compressée")
    plain = client.get("/calendrier.ics")
    packed = client.get("/calendrier.ics", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]
    refused = client.get("/calendrier.ics", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    again = client.get("/calendrier.ics", headers={"Accept-Encoding": "gzip",
                                                   "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


def test_the_language_is_part_of_the_key(client, edition):
    make_activity(edition)
    french = client.get("/activites").get_data(as_text=True)
    english = client.get("/activites", headers={"Accept-Language": "en"}).get_data(as_text=True)
    chosen = client.get("/activites?lang=en").get_data(as_text=True)
    assert 'lang="fr"' in french and 'lang="en"' in english and 'lang="en"' in chosen
    client.get("/langue/en")  # kept in the session from now on
    assert 'lang="en"' in client.get("/activites").get_data(as_text=True)


def test_signed_in_pages_are_never_shared(app, client, as_user, edition):
    from tests.factories import UserFactory

    make_activity(edition)
    anonymous = client.get("/activites")
    user = UserFactory(email="organisatrice@example.org")
    signed_in = as_user(user).get("/activites")
    assert "organisatrice@example.org" in signed_in.get_data(as_text=True)
    assert signed_in.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in signed_in.headers
    other = app.test_client().get("/activites")
    assert "organisatrice@example.org" not in other.get_data(as_text=True)
    assert other.get_data() == anonymous.get_data()
    # A feed is the same for everyone, but a signed-in answer is still private.
    feed = client.get("/calendrier.ics")
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "private, no-cache"


def test_the_place_cookie_is_part_of_the_home_key(app, client, edition):
    make_activity(edition, title="Près de Rimouski", municipality_code="10043", region_code="01",
                  latitude=48.45, longitude=-68.52)
    typed = client.get("/?near=Rimouski&retenir=1")
    assert typed.headers["Cache-Control"] == "private, no-cache"  # it sets the cookie
    remembered = client.get("/")
    assert "Près de Rimouski" in remembered.get_data(as_text=True)
    assert remembered.headers["Cache-Control"].startswith("public")
    stranger = app.test_client().get("/")
    assert "Bas-Saint-Laurent" not in stranger.get_data(as_text=True)
    assert stranger.get_data() != remembered.get_data()


def test_what_belongs_to_one_visitor_is_never_stored(database_url):
    from flask import flash, make_response, render_template_string

    from gstp.config import TestConfig
    from gstp.pagecache import shared_page

    sample = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                         "WTF_CSRF_ENABLED": True})
    built = []

    def count(body):
        built.append(body)
        return body

    def with_token():
        return count(render_template_string("{{ csrf_token() }}"))

    def with_cookie():
        response = make_response(count("cookie"))
        response.set_cookie("choice", "1")
        return response

    def with_flash():
        flash("Bonjour")
        return count("flash")

    for name, view in [("token", with_token), ("cookie", with_cookie), ("flash", with_flash)]:
        sample.add_url_rule(f"/_essai/{name}", name, shared_page()(view))
    visitor = sample.test_client()
    for name in ("token", "cookie", "flash"):
        for _ in range(2):
            response = visitor.get(f"/_essai/{name}")
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "private, no-cache"
    assert len(built) == 6
    with sample.app_context():
        db.engine.dispose()


def test_threads_asking_for_the_same_cold_page_build_it_once():
    import threading
    import time

    from gstp.pagecache import PageStore, Stored

    store = PageStore(max_bytes=1000)
    builds = []
    start = threading.Barrier(8)

    def ask():
        start.wait()
        with store.building("page"):
            if store.get("page") is None:
                builds.append(1)
                time.sleep(0.05)  # the other threads arrive while it builds
                store.put("page", Stored(200, (), b"<html>", b""))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and store.get("page").body == b"<html>"


def test_the_oldest_pages_leave_when_the_size_is_exceeded():
    from gstp.pagecache import PageStore, Stored

    store = PageStore(max_bytes=10)
    store.put("a", Stored(200, (), b"12345", b""))
    store.put("b", Stored(200, (), b"12345", b""))
    store.get("a")  # "a" used last: "b" is now the oldest
    store.put("c", Stored(200, (), b"123", b""))
    store.put("huge", Stored(200, (), b"12345678901", b""))  # larger than the store: not kept
    assert store.get("b") is None and store.get("huge") is None
    assert store.get("a").body == b"12345" and store.get("c").body == b"123"


def test_an_embedded_list_from_the_cache_can_still_be_framed(client, edition):
    make_activity(edition)
    for _ in range(2):
        response = client.get("/integre/activites")
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in response.headers


def test_a_visitor_without_cookies_is_answered_before_flask_with_the_same_answer(database_url):
    from flask import request

    from gstp.config import TestConfig

    sample = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url})
    entered = []
    sample.before_request(lambda: entered.append(request.path))
    visitor = sample.test_client()
    first = visitor.get("/donnees/activites.json", headers={"Accept-Encoding": "gzip"})
    second = visitor.get("/donnees/activites.json", headers={"Accept-Encoding": "gzip"})
    plain = visitor.get("/donnees/activites.json")  # another representation: through Flask
    assert entered == ["/donnees/activites.json"] * 2
    assert second.get_data() == first.get_data()
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    assert "frame-ancestors 'none'" in second.headers["Content-Security-Policy"]
    assert gzip.decompress(second.get_data()) == plain.get_data()
    visitor.set_cookie("session", "anything")  # a session may hold a choice: Flask decides
    visitor.get("/donnees/activites.json", headers={"Accept-Encoding": "gzip"})
    assert len(entered) == 3
    with sample.app_context():
        db.engine.dispose()
