"""At 5,000 activities a search reads the full-text index, never every activity."""
import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from gstp.activities import search
from gstp.activities.models import (
    Activity,
    ActivityState,
    Audience,
    Category,
    Format,
    GeocodingStatus,
    Occurrence,
)
from gstp.calendar import queries
from gstp.calendar.filters import ActivityFilters
from gstp.extensions import db
from gstp.organizations.models import Organization
from tests.calendar.conftest import make_activity, occurrence_on

ACTIVITIES = 5000
WORDS = ("conte comptine lecture album éveil musique danse jeu parc bibliothèque famille "
         "parent bébé enfant atelier cuisine bricolage peinture nature forêt théâtre "
         "marionnette chanson yoga motricité langage histoire livre dessin argile jardin "
         "sciences cirque piscine neige patin raquette ferme animaux pompier musée").split()
# Descriptions draw from a wider vocabulary, as real ones do: each word in a few percent.
VOCABULARY = WORDS + [f"terme{n}" for n in range(360)]


@pytest.fixture
def many(edition):
    """5,000 published activities of the edition, words drawn from a small vocabulary."""
    rng = random.Random(22)
    organization = make_activity(edition, title="Éveil musical").organization
    rows = []
    for n in range(ACTIVITIES):
        title = f"{rng.choice(WORDS).capitalize()} et {rng.choice(WORDS)} no {n}"
        text = " ".join(rng.choice(VOCABULARY) for _ in range(12))
        document = search.join_parts(title, "Centre communautaire", organization.name, text)
        if db.engine.dialect.name != "postgresql":
            document = search.sqlite_document(title, document)
        rows.append({"edition_id": edition.id, "organization_id": organization.id,
                     "title": title, "description": text, "search_document": document,
                     "category": Category.EARLY_LITERACY, "audience": Audience.FAMILIES,
                     "format": Format.IN_PERSON, "state": ActivityState.PUBLISHED,
                     "geocoding_status": GeocodingStatus.LOCATED, "sequence": 0,
                     "time_zone": "America/Toronto", "created_at": edition.created_at,
                     "updated_at": edition.created_at})
    db.session.execute(sa.insert(Activity.__table__), rows)
    start = occurrence_on(edition).starts_at
    db.session.execute(sa.insert(Occurrence.__table__), [
        {"activity_id": activity_id, "starts_at": start + timedelta(hours=n % 150),
         "ends_at": start + timedelta(hours=n % 150 + 1), "time_zone": "America/Toronto",
         "uid": f"occ-plan-{n}"}
        for n, activity_id in enumerate(db.session.scalars(
            sa.select(Activity.id).where(~Activity.occurrences.any())))])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE" if db.engine.dialect.name == "postgresql"
                               else "ANALYZE activity"))
    db.session.commit()
    return edition


def _plan(stmt) -> list[str]:
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN " if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    return [str(row[-1]) for row in db.session.execute(sa.text(prefix + sql))]


# Absent, in one activity, in about 3 % of them, two words of 8 % each.
SELECTIVE = ["zzzz", "musical", "terme7", "éveil musique"]
# In about 8 % and 30 % of them, and in all (the organization's name): reading most pages
# of the table anyway, PostgreSQL may rightly prefer a sequential scan of the stored vectors
# (BENCHMARKS.md: its cost).
FREQUENT = ["marionnette", "conte", "famille"]


def _plans(edition, query: str) -> tuple[str, str]:
    """Plans of the pages' statement (ranks) and of the feeds' one (every filter, ordered)."""
    ranks = "\n".join(_plan(search.ranks(query, db.engine.dialect.name, edition_id=edition.id)))
    filters = ActivityFilters(q=query)
    feeds = "\n".join(_plan(queries.ordered(queries.edition_select(edition, filters), filters)))
    return ranks, feeds


def test_a_search_reads_the_full_text_index(app, many):
    """One seeding for every query: 5,000 rows take a while to write."""
    postgresql = db.engine.dialect.name == "postgresql"
    for query in SELECTIVE + FREQUENT:
        ranks, feeds = _plans(many, query)
        if not postgresql:
            assert "VIRTUAL TABLE INDEX" in ranks, ranks
            assert "VIRTUAL TABLE INDEX" in feeds, feeds
            continue
        assert "to_tsvector" not in ranks + feeds  # matched and ranked from stored vectors
        if query in SELECTIVE:
            assert search.PG_INDEX in ranks, ranks
            assert "Seq Scan on activity" not in ranks + feeds, feeds


def test_the_stored_vector_follows_edits(app, request):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's stored vectors")
    many = request.getfixturevalue("many")  # 5,000 rows seeded only where the test runs
    activity = db.session.scalar(sa.select(Activity).where(Activity.title == "Éveil musical"))
    activity.title = "Heure du conte xylophone"
    db.session.commit()
    found = db.session.scalars(search.ranks("xylophone", "postgresql", edition_id=many.id)
                               .with_only_columns(Activity.id)).all()
    assert found == [activity.id]
    activity.organization.name = "Orgue de barbarie"
    db.session.commit()
    named = db.session.scalars(search.ranks("barbarie", "postgresql", edition_id=many.id)
                               .with_only_columns(Activity.id)).all()
    assert len(named) == db.session.scalar(
        sa.select(sa.func.count()).select_from(Activity)
        .where(Activity.organization_id == db.session.scalar(sa.select(Organization.id))))
