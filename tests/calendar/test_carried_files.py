"""Feeds and open-data files carried across versions: after any kind of change each is the
file built from scratch, and a client holding the previous one gets 304 exactly when its
bytes did not change."""
import json
import random

import pytest
from flask import request_started
from icalendar import Calendar
from werkzeug.http import parse_date

from gstp.activities.models import ActivityState, Audience, Category
from gstp.extensions import db
from tests.calendar.conftest import (
    CHANGE_SEED,
    from_scratch,
    make_activity,
    move_a_day_later,
    occurrence_on,
    varied_activities,
)
from tests.factories import UserFactory

REGION_FEED = "/regions/06/calendrier.ics"


@pytest.fixture
def activities(edition):
    return varied_activities(edition, 24, submitted_every=7)


def _edits(edition, activities, rng: random.Random) -> dict:
    def pick():
        return rng.choice(activities)

    def delete():
        activity = pick()
        activities.remove(activity)
        db.session.delete(activity)

    return {
        "title": lambda: setattr(pick(), "title", f"Atelier retitré {rng.randrange(1000)}"),
        "description": lambda: setattr(pick(), "description", "Marionnettes et contes."),
        # Shown by the JSON open data, not by any feed.
        "price": lambda: setattr(pick(), "price_details", f"{rng.randrange(20)} $"),
        "audience": lambda: setattr(pick(), "audience", Audience.PRACTITIONERS),
        "date": lambda: move_a_day_later(pick()),
        "category": lambda: setattr(pick(), "category", Category.COMMUNITY_EVENT),
        "moved into region 06": lambda: setattr(pick(), "region_code", "06"),
        "moved out to region 08": lambda: setattr(pick(), "region_code", "08"),
        "published": lambda: setattr(pick(), "state", ActivityState.PUBLISHED),
        "withdrawn": lambda: setattr(pick(), "state", ActivityState.SUBMITTED),
        "cancelled": lambda: setattr(pick(), "state", ActivityState.CANCELLED),
        "deleted": delete,
        "added": lambda: activities.append(make_activity(
            edition, title="Nouvel atelier", region_code=rng.choice(["03", "06"]),
            occurrences=[occurrence_on(edition, day=1)])),
        "organization renamed": lambda: setattr(pick().organization, "name", "Biblio renommée"),
        "edition": lambda: setattr(edition, "theme", f"Thème {rng.randrange(1000)}"),
    }


def _urls(activities) -> list[str]:
    return ["/calendrier.ics", REGION_FEED, "/regions/08/calendrier.ics",
            "/categories/acces_culture/calendrier.ics", "/organismes/biblio-amos/calendrier.ics",
            "/municipalites/23027/calendrier.ics",
            "/activites.ics?region=03&category=acces_culture",
            "/activites.ics?q=contes", f"/activites/{activities[0].id}.ics",
            "/activites.atom?region=06", "/activites.rss", "/donnees/activites.json",
            "/donnees/activites.geojson?region=08", "/donnees/activites.csv?all=1",
            "/donnees/datapackage.json"]


def _readable(url: str, body: bytes) -> None:
    """Each file is what its readers parse: iCalendar by the icalendar library."""
    if ".ics" in url:
        assert Calendar.from_ical(body).name == "VCALENDAR"
    elif url.startswith("/donnees/activites.json") or url.endswith("datapackage.json"):
        json.loads(body)


def test_every_file_after_every_kind_of_change_is_the_file_built_from_scratch(
        app, client, scratch_app, edition, activities):
    entered, ways = [], {"carried": 0, "built": 0}
    request_started.connect(lambda _sender, **_extra: entered.append(1), app, weak=False)
    rng = random.Random(CHANGE_SEED)
    edits = _edits(edition, activities, rng)
    urls = _urls(activities)
    held = {url: client.get(url) for url in urls}  # what each client holds
    for name in rng.sample(sorted(edits), len(edits)) * 2:
        edits[name]()
        db.session.commit()
        for url in rng.sample(urls, 8):  # not every file at every version: carried further
            entered.clear()
            before, response = held[url], client.get(url)
            # Asked once per version: answered before Flask only when carried.
            ways["built" if entered else "carried"] += 1
            scratch = from_scratch(scratch_app, url)
            assert response.status_code == scratch.status_code, (name, url)
            if response.status_code != 200:  # the activity's own file, gone
                held[url] = response
                continue
            _readable(url, response.data)
            assert response.data == scratch.data, (name, url)
            assert response.headers["ETag"] == scratch.headers["ETag"], (name, url)
            modified = parse_date(response.headers["Last-Modified"])
            # Never later than a build at this version; never before the one held.
            assert modified <= parse_date(scratch.headers["Last-Modified"]), (name, url)
            same = before.status_code == 200 and before.data == response.data
            if before.status_code == 200:
                assert modified >= parse_date(before.headers["Last-Modified"]), (name, url)
                match = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
                assert match.status_code == (304 if same else 200), (name, url)
                since = client.get(url, headers={
                    "If-Modified-Since": before.headers["Last-Modified"]})
                # A date alone may miss bytes rebuilt the same, never bytes that changed.
                assert since.status_code == 200 or same, (name, url)
            held[url] = response
    assert ways["carried"] and ways["built"], ways  # both ways were taken


def test_a_region_feed_holds_past_a_change_elsewhere_until_one_comes_in(
        app, client, edition, activities):
    entered = []
    request_started.connect(lambda _sender, **_extra: entered.append(1), app, weak=False)
    first = client.get(REGION_FEED)
    elsewhere = next(a for a in activities
                     if a.region_code == "08" and a.state is ActivityState.PUBLISHED)
    elsewhere.title = "Atelier ailleurs"
    db.session.commit()
    entered.clear()
    again = client.get(REGION_FEED)
    assert again.data == first.data and entered == []  # carried before Flask is entered
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    for held in ({"If-Modified-Since": first.headers["Last-Modified"]},
                 {"If-None-Match": first.headers["ETag"]}):
        polled = client.get(REGION_FEED, headers=held)
        assert polled.status_code == 304 and entered == []  # answered before Flask too
        assert polled.headers["ETag"] == first.headers["ETag"]
        assert polled.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert "Content-Type" not in polled.headers and polled.data == b""

    elsewhere.region_code = "06"  # moved into the region: it joins the feed
    db.session.commit()
    joined = client.get(REGION_FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert joined.status_code == 200 and b"Atelier ailleurs" in joined.data
    assert parse_date(joined.headers["Last-Modified"]) > parse_date(
        first.headers["Last-Modified"])


def test_a_feed_rebuilt_with_the_same_bytes_answers_304_to_its_etag(client, edition, activities):
    first = client.get(REGION_FEED)
    edition.theme = "Grandir ensemble"  # not only activities changed: no file is carried
    db.session.commit()
    again = client.get(REGION_FEED, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    # Built again, at a later date: a client holding only the date downloads the same bytes.
    rebuilt = client.get(REGION_FEED, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert rebuilt.status_code == 200 and rebuilt.data == first.data


def test_a_signed_in_visitor_gets_the_same_validators_privately(client, as_user, activities):
    anonymous = client.get(REGION_FEED)
    as_user(UserFactory(organization=activities[0].organization))
    signed_in = client.get(REGION_FEED)
    assert signed_in.headers["ETag"] == anonymous.headers["ETag"]
    assert signed_in.headers["Cache-Control"].startswith("private")
