"""Whole pages carried across versions: answered as a build from scratch would, after any
kind of change, and carried only past changes that leave them the same."""
import random
from datetime import timedelta

import pytest
from flask import request_started

from gstp.activities.models import ActivityState, Category
from gstp.extensions import db
from tests.calendar.conftest import (
    CHANGE_SEED,
    from_scratch,
    make_activity,
    move_a_day_later,
    occurrence_on,
    varied_activities,
)


def _from_scratch(scratch_app, url: str) -> tuple:
    """The body and validators of a page built from scratch by another app."""
    response = from_scratch(scratch_app, url)
    assert response.status_code == 200
    return _answer(response)


def _answer(response) -> tuple:
    return response.data, response.headers["ETag"], response.headers["Last-Modified"]


@pytest.fixture
def activities(edition):
    return varied_activities(edition, 30)


def _edits(edition, activities, rng: random.Random) -> dict:
    def pick():
        return rng.choice(activities)

    return {
        "title": lambda: setattr(pick(), "title", f"Atelier retitré {rng.randrange(1000)}"),
        "description": lambda: setattr(pick(), "description", "Marionnettes et contes."),
        "date": lambda: move_a_day_later(pick()),
        "category": lambda: setattr(pick(), "category", Category.COMMUNITY_EVENT),
        "region": lambda: setattr(pick(), "region_code", "06"),
        "withdrawn": lambda: setattr(pick(), "state", ActivityState.SUBMITTED),
        "cancelled": lambda: setattr(pick(), "state", ActivityState.CANCELLED),
        "added": lambda: activities.append(make_activity(
            edition, title="Nouvel atelier", occurrences=[occurrence_on(edition, day=1)])),
        "organization renamed": lambda: setattr(pick().organization, "name", "Biblio renommée"),
        "edition": lambda: setattr(edition, "theme", f"Thème {rng.randrange(1000)}"),
    }


def _urls(edition) -> list[str]:
    day = (edition.starts_on + timedelta(days=2)).isoformat()
    return ["/", "/activites", "/activites?page=2", "/activites?region=06",
            "/activites?category=acces_culture", "/activites?q=contes",
            "/activites?q=marionnettes", "/activites?q=atelier&page=2",
            "/activites?q=contes&region=06", "/calendrier",
            f"/calendrier?date={day}", "/calendrier?q=contes", "/carte", "/carte?region=08"]


def test_every_page_after_every_kind_of_change_is_the_page_built_from_scratch(
        client, scratch_app, edition, activities):
    rng = random.Random(CHANGE_SEED)
    edits = _edits(edition, activities, rng)
    urls = _urls(edition)
    for url in urls:
        client.get(url)
    for name in rng.sample(sorted(edits), len(edits)) * 2:
        edits[name]()
        db.session.commit()
        for url in rng.sample(urls, 6):  # not every page at every version: carried further
            response = client.get(url)
            assert response.status_code == 200
            assert _answer(response) == _from_scratch(scratch_app, url), (name, url)
            assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}
                              ).status_code == 304


def test_a_page_is_carried_past_a_change_it_does_not_show(client, activities, renders):
    first = client.get("/activites").data
    activities[6].description = "Une autre description."  # the last one: not on page 1
    db.session.commit()
    renders.clear()
    assert client.get("/activites").data == first
    assert "calendar/list.html" not in renders
    activities[0].title = "Atelier du matin"  # the first page's first card
    db.session.commit()
    assert b"Atelier du matin" in client.get("/activites").data
    assert "calendar/list.html" in renders


def test_a_search_is_built_again_when_a_change_brings_it_a_match(client, activities, renders):
    assert b"Atelier 4" not in client.get("/activites?q=marionnettes").data
    activities[7].title = "Atelier sept"  # matches nothing asked: carried
    db.session.commit()
    renders.clear()
    client.get("/activites?q=marionnettes")
    assert "calendar/list.html" not in renders
    activities[4].description = "Marionnettes à gaine."
    db.session.commit()
    assert b"Atelier 4" in client.get("/activites?q=marionnettes").data
    assert "calendar/list.html" in renders


def test_no_page_is_carried_past_a_change_of_the_edition(client, edition, activities, renders):
    client.get("/calendrier")
    edition.theme = "Grandir ensemble"
    db.session.commit()
    renders.clear()
    client.get("/calendrier")
    assert "calendar/week.html" in renders


def test_a_page_is_carried_before_flask_is_entered(app, client, activities, renders):
    entered = []
    request_started.connect(lambda _sender, **_extra: entered.append(1), app, weak=False)
    first = client.get("/activites?region=06")
    activities[6].description = "Une autre description."  # in region 03: not listed there
    db.session.commit()
    entered.clear()
    renders.clear()
    again = client.get("/activites?region=06")
    assert again.data == first.data and again.headers["ETag"] != first.headers["ETag"]
    assert entered == [] and "calendar/list.html" not in renders
