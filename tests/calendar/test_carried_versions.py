"""Values and pages carried across several versions, and what makes them stale: an
organization renamed, a search word added to an activity, an edition changed."""
from urllib.parse import quote_plus

import pytest
import sqlalchemy as sa

from gstp.activities import search
from gstp.activities.models import Activity
from gstp.extensions import db
from gstp.public_version.reading import read_committed
from tests.calendar.conftest import make_activity, occurrence_on
from tests.calendar.test_pages import _titles
from tests.calendar.test_search import SEARCHES, catalogue  # noqa: F401 - the shared table
from tests.factories import OrganizationFactory


@pytest.fixture
def published(edition):
    organization = OrganizationFactory(name="Bibliothèque d'Amos", slug="biblio-amos")
    others = OrganizationFactory(name="Maison de la famille", slug="maison-famille")
    return [make_activity(edition, title=f"Atelier {n}", description="Jeux et comptines.",
                          organization=organization if n < 6 else others,
                          occurrences=[occurrence_on(edition, day=n % 7, hour=9 + n % 8)])
            for n in range(12)]


def test_an_activity_page_is_carried_across_versions_it_was_not_asked_in(client, published,
                                                                         renders):
    page = f"/activites/{published[0].id}"
    assert "Atelier 1" in client.get(page).get_data(as_text=True)
    for n in (7, 8, 9):  # three versions that change nothing this page shows, not asked
        published[n].title = f"Atelier {n}, retitré"
        db.session.commit()
        client.get("/activites")
    renders.clear()
    assert "Atelier 1" in client.get(page).get_data(as_text=True)
    assert "calendar/activity.html" not in renders
    published[1].title = "Atelier 1, renommé"  # a sibling it shows
    db.session.commit()
    client.get("/activites")
    assert "Atelier 1, renommé" in client.get(page).get_data(as_text=True)
    assert "calendar/activity.html" in renders


def test_an_organization_renamed_shows_on_the_cards_of_its_activities(client, published):
    assert "Bibliothèque d&#39;Amos" in client.get("/activites").get_data(as_text=True)
    published[0].organization.name = "Bibliothèque municipale d'Amos"
    db.session.commit()
    body = client.get("/activites").get_data(as_text=True)
    assert "Bibliothèque municipale d&#39;Amos" in body
    assert "Bibliothèque d&#39;Amos" not in body
    page = client.get(f"/activites/{published[3].id}").get_data(as_text=True)
    assert "Bibliothèque municipale d&#39;Amos" in page


def test_a_search_finds_a_word_added_versions_after_it_was_first_asked(client, published):
    search = f"/activites?q={quote_plus('marionnettes')}"
    assert _titles(client.get(search)) == []
    published[4].description = "Spectacle de marionnettes."
    db.session.commit()
    published[7].title = "Atelier 7 bis"
    db.session.commit()
    assert _titles(client.get(search)) == ["Atelier 4"]
    published[4].description = "Jeux et comptines."
    published[9].title = "Marionnettes géantes"
    db.session.commit()
    assert _titles(client.get(search)) == ["Marionnettes géantes"]
    published[9].state = published[9].state.SUBMITTED
    db.session.commit()
    assert _titles(client.get(search)) == []


def test_the_lexemes_tell_a_match_as_postgresql_does_for_every_query_and_row(
        app, catalogue):  # noqa: F811
    """may_match, over the whole query table and every activity, is PostgreSQL's @@."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's stored vectors")
    with app.test_request_context("/"):
        ids = frozenset(db.session.scalars(sa.select(Activity.id)))
        lexemes = {i: frozenset(words or ()) for i, _edition, words
                   in read_committed(search.document_lexemes(ids))}
        assert len(lexemes) == len(ids) >= 4
        for query, _titles_found in SEARCHES + [("le la les", set()), ("the of", set())]:
            readings = tuple(search.reading_lexemes(text or "") for text
                             in read_committed(search.query_readings(query))[0])
            matching = set(db.session.scalars(
                sa.select(Activity.id).where(search.matches(query, "postgresql"))))
            assert {i for i in ids if search.may_match(readings, lexemes[i])} == matching, query
