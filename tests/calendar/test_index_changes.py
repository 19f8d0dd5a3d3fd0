"""A public change costs what it changed: the index reloads only the activities the public
change log names, and answers as a full build (and as SQL, text search included) would."""
from datetime import timedelta
from urllib.parse import quote_plus

import pytest
import sqlalchemy as sa

from gstp.activities import changes
from gstp.activities.models import Activity, ActivityState, Category
from gstp.calendar import index, queries
from gstp.calendar.filters import ActivityFilters
from gstp.extensions import db
from gstp.public_version.bumping import bump_public_version
from gstp.public_version.reading import read_public_version
from tests.calendar.conftest import make_activity, occurrence_on
from tests.calendar.test_pages import _titles
from tests.calendar.test_search import catalogue  # noqa: F401 - the shared search catalogue
from tests.factories import OrganizationFactory

SEARCHES = [
    {"q": "lecture"}, {"q": "lectures"}, {"q": "montréal"}, {"q": "MONTREAL", "all": "1"},
    {"q": "familles"}, {"q": "eveil", "region": "06"}, {"q": "lecture", "region": "06"},
    {"q": "parc jarry"}, {"q": "developpements", "all": "1"}, {"q": "zzzz"},
    {"q": "lecture", "organization": "biblio"}, {"q": "montreal", "format": "virtual"},
]


@pytest.mark.parametrize("args", SEARCHES)
def test_search_through_the_index_answers_as_sql(app, edition, catalogue, args):  # noqa: F811
    filters = ActivityFilters.from_args(args)
    with app.test_request_context("/"):
        assert index.supports(filters)
        sql = db.session.scalars(queries.ordered(queries.edition_select(edition, filters),
                                                 filters).with_only_columns(
            sa.literal_column("activity.id"))).all()
        assert [row.id for row in index.matching(edition, filters)] == sql


def test_search_pages_are_paginated_by_rank(client, edition):
    for n in range(25):
        make_activity(edition, title=f"Atelier {n}", description="Contes et comptines.",
                      occurrences=[occurrence_on(edition, day=n % 7, hour=8 + n % 10)])
    make_activity(edition, title="Contes du soir", description="Contes et comptines.",
                  occurrences=[occurrence_on(edition, day=6, hour=19)])
    first = _titles(client.get(f"/activites?q={quote_plus('contes')}"))
    second = _titles(client.get(f"/activites?q={quote_plus('contes')}&page=2"))
    assert first[0] == "Contes du soir"  # the title's word ranks first, though the latest
    assert len(first) == 20 and len(second) == 6 and not set(first) & set(second)


def _rows(app, edition) -> tuple[list, object]:
    """The index rows of a fresh request, and the version it read."""
    with app.test_request_context("/"):
        return index.public_rows(edition), read_public_version()[0]


def _full_build(app, edition) -> list:
    with app.test_request_context("/"):
        return index._build(edition.id)


def _kept(rows) -> dict:
    return {row.id: row for row in rows}


@pytest.fixture
def published(edition):
    organization = OrganizationFactory(slug="ancien-nom")
    return [make_activity(edition, title=f"Atelier {n}", organization=organization,
                          occurrences=[occurrence_on(edition, day=n % 7, hour=9 + n % 8)])
            for n in range(12)]


def _changed(app, edition, change) -> tuple[set[int] | None, list, list]:
    """Apply a change; what the log names, the rows before and after it."""
    before, version = _rows(app, edition)
    token = changes.token_of(version.counter)
    change()
    db.session.commit()
    after, new_version = _rows(app, edition)
    return changes.changed_since(version.counter, token, new_version.counter), before, after


@pytest.mark.parametrize("what", ["title", "date", "category", "withdrawn", "deleted", "added"])
def test_one_edit_reloads_only_its_activity(app, edition, published, what):
    target = published[5]
    edits = {
        "title": lambda: setattr(target, "title", "Atelier renommé"),
        "date": lambda: (setattr(target.occurrences[0], "starts_at",
                                 target.occurrences[0].starts_at + timedelta(days=2)),
                         setattr(target.occurrences[0], "ends_at",
                                 target.occurrences[0].ends_at + timedelta(days=2))),
        "category": lambda: setattr(target, "category", Category.CULTURE),
        "withdrawn": lambda: setattr(target, "state", ActivityState.SUBMITTED),
        "deleted": lambda: db.session.delete(target),
        "added": lambda: make_activity(edition, title="Nouvel atelier"),
    }
    target_id = target.id
    named, before, after = _changed(app, edition, edits[what])
    if what == "added":
        new_id = db.session.scalar(sa.select(Activity.id).where(Activity.title == "Nouvel atelier"))
        assert named == {new_id}
    else:
        assert named == {target_id}
    assert after == _full_build(app, edition)  # same rows, same order as reading everything
    old, new = _kept(before), _kept(after)
    # Every other activity's row is the very object of the previous version: not read again.
    assert all(new[i] is old[i] for i in old if i != target_id and i in new)


def test_organization_slug_names_its_activities(app, edition, published):
    organization = published[0].organization
    named, _before, after = _changed(app, edition,
                                     lambda: setattr(organization, "slug", "nouveau-nom"))
    assert named == {a.id for a in published}
    assert {row.organization_slug for row in after} == {"nouveau-nom"}
    assert after == _full_build(app, edition)


def test_other_public_changes_reload_nothing(app, edition, published):
    named, before, after = _changed(app, edition,
                                    lambda: setattr(edition, "theme", "Un autre thème"))
    assert named == set()
    assert after is before


def test_changes_the_log_cannot_account_for_read_everything(app, edition, published):
    def typed_sql():
        db.session.execute(sa.text("UPDATE activity SET title = 'Tapé à la main'"))
        bump_public_version()

    named, before, after = _changed(app, edition, typed_sql)
    assert named is None  # a hand-made bump has no log row
    assert after == _full_build(app, edition)
    assert not any(new is old for new, old in zip(after, before, strict=True))

    def bulk():
        db.session.execute(sa.update(Activity).where(Activity.id == published[1].id)
                           .values(category=Category.CULTURE))

    named, _before, after = _changed(app, edition, bulk)
    assert named is None  # a bulk statement names no row
    assert after == _full_build(app, edition)
    assert [row.category for row in after if row.id == published[1].id] == [Category.CULTURE]


def test_the_list_shows_the_edit_at_once(client, edition, published):
    assert "Atelier 3" in _titles(client.get("/activites"))
    published[3].title = "Atelier déplacé"
    published[3].region_code = "01"
    db.session.commit()
    assert "Atelier déplacé" in _titles(client.get("/activites?region=01"))
    assert "Atelier 3" not in _titles(client.get("/activites"))


def _memo(app) -> dict:
    return app.extensions["gstp.calendar.memo"].values


def test_fragments_and_days_of_unchanged_activities_are_kept(app, client, edition, published):
    assert "Atelier 4" in _titles(client.get("/activites"))
    client.get("/calendrier")
    cards = dict(_memo(app)[("summary_cards", "h3", "fr")])
    items = dict(_memo(app)[("week_items", "fr")])
    published[4].title = "Atelier retitré"
    db.session.commit()
    assert "Atelier retitré" in _titles(client.get("/activites"))
    assert "Atelier retitré" in client.get("/calendrier").get_data(as_text=True)
    new_cards = _memo(app)[("summary_cards", "h3", "fr")]
    new_items = _memo(app)[("week_items", "fr")]
    edited = published[4].id
    assert new_cards[edited] is not cards[edited]
    assert all(new_cards[i] is cards[i] for i in cards if i != edited)
    assert all(new_items[i] is items[i] for i in items if items[i][0] != edited)
    with app.test_request_context("/"):
        read_public_version()
        assert index.occurrences_by_day(edition) == index._by_day(index._build(edition.id))


def test_an_activity_page_is_kept_until_what_it_shows_changes(client, edition, published,
                                                              renders):
    other = make_activity(edition, title="Ailleurs")  # another organization
    page = f"/activites/{published[0].id}"
    assert "Atelier 1" in client.get(page).get_data(as_text=True)  # a sibling, shown
    other.title = "Ailleurs, renommé"
    db.session.commit()
    renders.clear()
    assert "Atelier 1" in client.get(page).get_data(as_text=True)
    assert "calendar/activity.html" not in renders  # nothing it shows changed: the same page
    published[1].title = "Atelier 1 renommé"  # a sibling it shows
    db.session.commit()
    assert "Atelier 1 renommé" in client.get(page).get_data(as_text=True)
    assert "calendar/activity.html" in renders
    make_activity(edition, title="Nouvelle sœur", organization=published[0].organization,
                  occurrences=[occurrence_on(edition, day=0, hour=8)])  # the soonest: shown
    assert "Nouvelle sœur" in client.get(page).get_data(as_text=True)
    published[0].state = ActivityState.SUBMITTED
    db.session.commit()
    assert client.get(page).status_code == 404


def test_signed_in_visitors_get_their_own_activity_page(app, client, as_user, edition,
                                                        published):
    from tests.factories import UserFactory

    page = f"/activites/{published[0].id}"
    client.get(page)
    user = UserFactory(email="organisatrice@exemple.org")
    as_user(user)
    assert "organisatrice@exemple.org" in client.get(page).get_data(as_text=True)


def test_the_edition_feed_reads_again_only_the_edited_dates(app, client, edition, published):
    first = client.get("/calendrier.ics").data
    rows = _memo(app)[("edition_feed_rows", edition.id)]
    moved = published[2].occurrences[0]
    moved.starts_at, moved.ends_at = (moved.starts_at + timedelta(days=3),
                                      moved.ends_at + timedelta(days=3))
    published[7].title = "Atelier du feed"
    db.session.commit()
    carried = client.get("/calendrier.ics").data
    assert carried != first and b"Atelier du feed" in carried
    new_rows = _memo(app)[("edition_feed_rows", edition.id)]
    edited = {published[2].id, published[7].id}
    assert [r for r in new_rows if r.id not in edited] == [r for r in rows if r.id not in edited]
    assert all(any(new is old for old in rows) for new in new_rows if new.id not in edited)
    # Built from scratch (no memo, no page kept): the very same bytes.
    app.extensions.pop("gstp.calendar.memo")
    app.extensions["gstp_page_store"].clear()
    assert client.get("/calendrier.ics").data == carried
