"""Pages shared by the workers of one machine through files: built by one, read by the
others, never another key's or another version's, and nothing lost when files fail."""
import logging
import os
import shutil
import time

import pytest
from flask import request_started

from gstp import create_app
from gstp.extensions import db
from gstp.pagecache import Stored
from gstp.pagecache import files as page_files
from tests.calendar.conftest import make_activity, rendered_templates
from tests.conftest import IsolatedClient


def _page_files(directory) -> list:
    return [path for path in directory.rglob("*") if path.is_file()]


@pytest.fixture
def second_worker(app):
    """Another process's app: the same code, configuration and page directory, its own memory."""
    application = create_app(dict(app.config))
    # The same release and settings as the app when it named its directory (tests since
    # changed some settings and put them back): the same directory.
    directory = app.extensions["gstp_page_store"]._files.directory
    application.extensions["gstp_page_store"]._files = page_files.PageFiles(
        directory.parent, directory.name)
    application.test_client_class = IsolatedClient
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def renders(second_worker):
    """Names of the templates the second worker renders."""
    with rendered_templates(second_worker) as names:
        yield names


def test_a_page_built_by_one_worker_is_read_by_the_other(client, second_worker, edition,
                                                         renders):
    make_activity(edition, title="Atelier partagé")
    first = client.get("/activites?q=partag%C3%A9")
    assert "Atelier partagé" in first.get_data(as_text=True)
    entered = []
    request_started.connect(lambda _sender, **_extra: entered.append(1), second_worker,
                            weak=False)
    second_worker.test_client().get("/activites")  # the worker learns the path is shared
    entered.clear()
    renders.clear()
    again = second_worker.test_client().get("/activites?q=partag%C3%A9")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert renders == []  # not built again
    assert entered == []  # answered from the file with the headers noted: Flask not entered


def test_a_new_version_is_never_answered_from_an_older_file(client, second_worker, edition,
                                                             renders):
    activity = make_activity(edition, title="Atelier du matin")
    client.get("/activites")
    activity.title = "Atelier du soir"
    db.session.commit()
    body = second_worker.test_client().get("/activites").get_data(as_text=True)
    assert "Atelier du soir" in body and "Atelier du matin" not in body
    assert "calendar/list.html" in renders


def test_a_damaged_file_is_built_again(app, client, second_worker, edition, renders):
    make_activity(edition, title="Atelier fragile")
    client.get("/carte")
    directory = app.extensions["gstp_page_store"]._files.directory
    for path in _page_files(directory):
        path.write_bytes(path.read_bytes()[:100])  # cut short, as a full disk would
    response = second_worker.test_client().get("/carte")
    assert response.status_code == 200 and "calendar/map.html" in renders


def test_pages_are_served_when_files_cannot_be_written(app, client, edition, caplog):
    caplog.set_level(logging.WARNING)
    make_activity(edition, title="Atelier sans disque")
    files = app.extensions["gstp_page_store"]._files
    aside = files.directory.with_name("aside")
    files.directory.rename(aside)
    files.directory.write_text("a file where the directory was")  # no page can be written
    failed, files._failed = files._failed, False
    try:
        response = client.get("/calendrier")
    finally:
        files.directory.unlink()
        aside.rename(files.directory)
        files._failed = failed
    assert response.status_code == 200 and "Atelier sans disque" in response.get_data(as_text=True)
    assert "shared page files not written" in caplog.text


def test_a_file_in_the_place_of_the_directory_costs_only_builds(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    files = page_files.PageFiles(tmp_path, "namespace")
    shutil.rmtree(files.directory)
    files.directory.write_text("not a directory")
    stored = Stored(200, (("Content-Type", "text/html"),), b"<p>page</p>", b"", tag="3.0")
    files.put("3.0\x1fday\x1fclock\x1faddress", stored)
    assert files.get("3.0\x1fday\x1fclock\x1faddress") is None
    assert "shared page files not written" in caplog.text


def test_the_sweep_keeps_recent_versions_and_a_bounded_count(tmp_path, monkeypatch):
    files = page_files.PageFiles(tmp_path, "namespace")
    stored = Stored(200, (), b"<p>page</p>", b"", tag="")
    for counter in range(1, 11):
        for n in range(3):
            files.put(f"{counter}.0\x1fday\x1fclock\x1fpage{n}", stored)
    files.sweep(10)
    kept = {path.name.split("-")[0] for path in _page_files(files.directory)}
    # The newest page of each address stays too, for a later version to carry.
    assert kept == {str(c) for c in range(10 - page_files.KEPT_VERSIONS, 11)} | {"newest"}
    assert files.newest("page1") == ("10.0\x1fday\x1fclock\x1fpage1", stored)
    monkeypatch.setattr(page_files, "MAX_FILES", 2)
    files.sweep(10)
    assert len(_page_files(files.directory)) == 2
    assert files.get("10.0\x1fday\x1fclock\x1fpage2") == stored  # the newest kept


def test_another_key_of_the_same_name_is_never_answered(tmp_path, monkeypatch):
    files = page_files.PageFiles(tmp_path, "namespace")
    stored = Stored(200, (), b"<p>one</p>", b"", tag="")
    files.put("1.0\x1fa", stored)
    monkeypatch.setattr(files, "_path", lambda key: files.directory / "00" / "1-same")
    files.put("1.0\x1fa", stored)
    assert files.get("1.0\x1fb") is None
    assert files.get("1.0\x1fa") == stored


def test_a_worker_carries_a_page_another_one_built(client, second_worker, edition, renders):
    shown = make_activity(edition, title="Atelier montré")
    elsewhere = make_activity(edition, title="Atelier ailleurs", region_code="08")
    first = client.get("/activites?region=03")
    elsewhere.description = "Changée."  # not in the list asked: the page holds
    db.session.commit()
    assert second_worker.test_client().get("/activites?region=03").data == first.data
    assert renders == []
    shown.title = "Atelier retitré"
    db.session.commit()
    assert b"Atelier retitr" in second_worker.test_client().get("/activites?region=03").data
    assert "calendar/list.html" in renders


def test_pages_of_other_builds_left_a_day_are_removed(tmp_path):
    old = page_files.PageFiles(tmp_path, "an-older-release")
    old.put("1.0\x1fa", Stored(200, (), b"<p>old</p>", b"", tag=""))
    recent = page_files.PageFiles(tmp_path, "another-running-one")
    day_ago = time.time() - 25 * 3600
    os.utime(old.directory, (day_ago, day_ago))
    page_files.PageFiles(tmp_path, "this-one").remove_other_namespaces()
    assert not old.directory.exists() and recent.directory.exists()


def test_a_worker_carries_a_search_it_was_never_asked(client, second_worker, edition,
                                                      renders):
    make_activity(edition, title="Contes du soir")
    unrelated = make_activity(edition, title="Jeu libre")
    first = client.get("/activites?q=contes")
    unrelated.description = "Ballons et cerceaux."  # no « conte » in it, before or after
    db.session.commit()
    assert second_worker.test_client().get("/activites?q=contes").data == first.data
    assert renders == []
    unrelated.description = "Contes et ballons."  # now it matches: built again
    db.session.commit()
    assert b"Jeu libre" in second_worker.test_client().get("/activites?q=contes").data
    assert "calendar/list.html" in renders


def test_a_page_missed_by_the_fast_path_is_not_looked_for_again(app, client, edition,
                                                                monkeypatch):
    make_activity(edition)
    client.get("/calendrier")  # the fast path learns the path is shared
    edition.theme = "Grandir ensemble"  # no page is carried past it: built again
    db.session.commit()
    files = app.extensions["gstp_page_store"]._files
    read, looked_for = files.get, []
    monkeypatch.setattr(files, "get", lambda key: looked_for.append(key) or read(key))
    assert client.get("/calendrier").status_code == 200
    assert len(looked_for) == 1  # the fast path's look-up, not the view's too
    client.get("/calendrier", headers={"If-None-Match": '"other"'})  # through Flask: kept
    assert len(looked_for) == 1
