"""Full-text search: one table of queries, the same answers on SQLite and PostgreSQL."""
from urllib.parse import quote_plus

import icalendar
import pytest
import sqlalchemy as sa

from gstp.activities import search
from gstp.activities.models import Activity, Format
from gstp.extensions import db
from tests.calendar.conftest import make_activity
from tests.calendar.test_pages import _titles
from tests.factories import OrganizationFactory

EVEIL = "Éveil à la lecture en famille"
JEU = "Jeu libre au parc"
CONFERENCE = "Conférence sur le développement"
STORY = "Story time for families"

# query → titles found (the list page shows them best match first when the order matters).
SEARCHES = [
    ("éveil", {EVEIL}),
    ("Éveil", {EVEIL}),
    ("eveil", {EVEIL}),
    ("EVEIL", {EVEIL}),
    ("ÉVEIL", {EVEIL}),
    ("lecture", {EVEIL, JEU}),
    ("lectures", {EVEIL, JEU}),
    ("LECTURES", {EVEIL, JEU}),
    ("famille", {EVEIL, JEU}),
    ("familles", {EVEIL, JEU}),
    ("family", {STORY}),
    ("families", {STORY}),
    ("éveil familles", {EVEIL}),
    ("éveil jarry", set()),
    ("Pitchouns", {JEU}),  # an organization
    ("maison des familles pitchouns", {JEU}),
    ("Jarry", {JEU}),  # a venue
    ("parc jarry", {JEU}),
    ("Gabrielle-Roy", {EVEIL}),
    ("Lévis", {CONFERENCE}),  # a municipality, with and without accents
    ("levis", {CONFERENCE}),
    ("LÉVIS", {CONFERENCE}),
    ("montréal", {JEU, STORY}),
    ("MONTREAL", {JEU, STORY}),
    ("développement", {CONFERENCE}),
    ("developpements", {CONFERENCE}),
    ("l'éveil", {EVEIL}),
    ("l’Éveil", {EVEIL}),
    ("e\u0301veil", {EVEIL}),  # « é » typed as e + combining accent
    ("Saint-Michel", set()),
    ("intervenants", {CONFERENCE}),
    ("toddler", {STORY}),
    ("poney", set()),
]


@pytest.fixture
def catalogue(edition):
    """Four published activities in three municipalities, in French and in English."""
    library = OrganizationFactory(name="Bibliothèque de Québec", slug="biblio")
    pitchouns = OrganizationFactory(name="Maison des familles Les Pitchouns", slug="pitchouns",
                                    region_code="06", municipality_code="66023")
    cisss = OrganizationFactory(name="CISSS de Chaudière-Appalaches", slug="cisss",
                                region_code="12", municipality_code="25213")
    montreal = {"municipality_code": "66023", "region_code": "06",
                "latitude": 45.5427, "longitude": -73.6284}
    make_activity(edition, organization=library, title=EVEIL, venue_name="Bibliothèque "
                  "Gabrielle-Roy", description="Une lecture d'albums, puis une autre lecture.")
    make_activity(edition, organization=pitchouns, title=JEU, venue_name="Parc Jarry",
                  description="Des lectures à voix haute sous les arbres.", **montreal)
    make_activity(edition, organization=cisss, title=CONFERENCE, venue_name="Centre des congrès",
                  description="Pour les intervenants.", municipality_code="25213",
                  region_code="12", latitude=46.71, longitude=-71.24)
    make_activity(edition, organization=library, title=STORY, venue_name="Westmount Library",
                  description="Songs and stories for toddlers.", language="en", **montreal)


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_table_on_the_list_page(client, catalogue, query, expected):
    assert set(_titles(client.get(f"/activites?q={quote_plus(query)}"))) == expected


def test_the_same_search_behind_feeds_and_open_data(client, catalogue):
    for query, expected in SEARCHES:
        text = quote_plus(query)
        feed = icalendar.Calendar.from_ical(client.get(f"/activites.ics?q={text}").data)
        assert {str(event["SUMMARY"]) for event in feed.walk("VEVENT")} == expected, query
        data = client.get(f"/donnees/activites.json?q={text}").get_json()
        assert {record["title"] for record in data["activities"]} == expected, query


def test_best_match_first(client, catalogue):
    # Twice « lecture » in the title and description, against once in a description.
    assert _titles(client.get("/activites?q=lectures")) == [EVEIL, JEU]


def test_a_title_word_ranks_above_the_same_word_further_down(client, edition):
    make_activity(edition, title="Contes et comptines", description="Au parc.")
    make_activity(edition, title="Pique-nique au parc", description="Contes sous les arbres.")
    assert _titles(client.get("/activites?q=contes")) == ["Contes et comptines",
                                                          "Pique-nique au parc"]
    assert _titles(client.get("/activites?q=parc")) == ["Pique-nique au parc",
                                                        "Contes et comptines"]


def test_search_combines_with_every_filter(client, catalogue, edition):
    assert _titles(client.get("/activites?q=lecture&region=06")) == [JEU]
    assert _titles(client.get("/activites?q=lecture&organization=biblio")) == [EVEIL]
    assert _titles(client.get("/activites?q=montreal&format=virtual")) == []
    make_activity(edition, title="Éveil musical en ligne", format=Format.VIRTUAL, venue_name="",
                  address="", latitude=None, longitude=None, municipality_code=None,
                  region_code=None, virtual_url="https://visio.example/eveil")
    assert _titles(client.get("/activites?q=eveil&format=virtual")) == ["Éveil musical en ligne"]
    assert set(_titles(client.get("/activites?q=eveil&near=Québec&radius=10"))) == {EVEIL}


def test_text_without_words_searches_nothing_in_particular(client, catalogue):
    assert len(_titles(client.get(f"/activites?q={quote_plus('« – ! »')}"))) == 4


def test_postgresql_search_uses_its_gin_index(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's GIN index")
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    stmt = sa.select(Activity.id).where(search.matches("familles", "postgresql"))
    plan = db.session.execute(sa.text("EXPLAIN " + str(stmt.compile(
        db.engine, compile_kwargs={"literal_binds": True})))).scalars().all()
    assert any(search.PG_INDEX in line for line in plan)


def test_sqlite_triggers_keep_the_index_in_sync(app):
    """A later migration recreating the activity table (batch mode) would drop them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 triggers")
    triggers = set(db.session.scalars(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'activity'")))
    assert {"activity_search_insert", "activity_search_update",
            "activity_search_delete"} <= triggers


def test_documents_follow_every_change(client, catalogue):
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == STORY))
    activity.title = "Heure du conte en anglais"
    activity.organization.name = "Réseau des bibliothèques"
    db.session.commit()
    assert set(_titles(client.get("/activites?q=contes"))) == {"Heure du conte en anglais"}
    assert set(_titles(client.get("/activites?q=reseau"))) == {EVEIL, "Heure du conte en anglais"}
    assert _titles(client.get("/activites?q=pitchouns")) == [JEU]
    db.session.delete(db.session.scalar(sa.select(Activity).where(Activity.title == JEU)))
    db.session.commit()
    assert _titles(client.get("/activites?q=pitchouns")) == []
