"""The in-process index and rendered fragments of the public pages: same answers as SQL, and
any public change shows on the very next request."""
import re
import time
from datetime import UTC, timedelta

import pytest
import sqlalchemy as sa

from gstp.activities.models import ActivityState, Audience, Category, Format, Occurrence
from gstp.calendar import index, queries
from gstp.calendar.filters import ActivityFilters
from gstp.db import utcnow
from gstp.extensions import db
from gstp.geo.models import Municipality
from tests.calendar.conftest import BLANC_SABLON, TORONTO, make_activity, occurrence_on
from tests.factories import OrganizationFactory

FILTERS = [
    {}, {"all": "1"}, {"region": "01"}, {"region": "03", "category": "evenement_communautaire"},
    {"municipality": "23027"}, {"format": "virtual", "all": "1"}, {"audience": "grand_public"},
    {"organization": "maison-rimouski"}, {"date": "+2"}, {"date": "+3", "all": "1"},
    {"date": "+3", "region": "09"}, {"date": "+4", "region": "09"}, {"date": "+6"},
    {"mrc": "mrc-rimouski", "all": "1"},
]


@pytest.fixture
def catalogue(edition):
    """Activities of every kind the filters tell apart, some on two days or near midnight."""
    rimouski = OrganizationFactory(name="Maison Rimouski", slug="maison-rimouski")
    rimouski_mrc = db.session.get(Municipality, "10043").mrc_code
    make_activity(edition, title="Conte")
    make_activity(edition, title="Annulée", state=ActivityState.CANCELLED,
                  occurrences=[occurrence_on(edition, day=3, hour=9)])
    make_activity(edition, title="Soumise", state=ActivityState.SUBMITTED)
    make_activity(edition, title="Jeu libre", organization=rimouski, municipality_code="10043",
                  region_code="01", mrc_code=rimouski_mrc, category=Category.COMMUNITY_EVENT,
                  audience=Audience.GENERAL_PUBLIC,
                  occurrences=[occurrence_on(edition, day=4), occurrence_on(edition, day=2)])
    make_activity(edition, title="Fête", category=Category.COMMUNITY_EVENT,
                  occurrences=[occurrence_on(edition, day=2, hour=22, minutes=180)])
    make_activity(edition, title="Causerie", format=Format.VIRTUAL, region_code=None,
                  municipality_code=None, latitude=None, longitude=None,
                  occurrences=[occurrence_on(edition, day=6, hour=23)])
    make_activity(edition, title="Basse-Côte-Nord", municipality_code="98005", region_code="09",
                  occurrences=[occurrence_on(edition, day=4, hour=0, zone=BLANC_SABLON)])
    past = utcnow() - timedelta(days=3)
    make_activity(edition, title="Passée", occurrences=[Occurrence(
        starts_at=past, ends_at=past + timedelta(hours=1), time_zone="America/Toronto")])
    return {"mrc-rimouski": rimouski_mrc}


def _filters(args: dict, edition, names: dict) -> ActivityFilters:
    args = {k: names.get(v, v) for k, v in args.items()}
    if args.get("date", "").startswith("+"):
        args["date"] = (edition.starts_on + timedelta(days=int(args["date"]))).isoformat()
    return ActivityFilters.from_args(args)


@pytest.mark.parametrize("args", FILTERS)
def test_index_answers_as_sql(app, edition, catalogue, args):
    filters = _filters(args, edition, catalogue)
    with app.test_request_context("/"):
        assert index.supports(filters)
        sql = db.session.scalars(queries.ordered(queries.edition_select(edition, filters),
                                                 filters).with_only_columns(
            sa.literal_column("activity.id"))).all()
        assert [row.id for row in index.matching(edition, filters)] == sql
        assert sql  # the catalogue has an answer to each filter
        week = db.session.scalars(queries.edition_select(edition, filters, upcoming=False)
                                  .with_only_columns(sa.literal_column("activity.id"))).all()
        assert sorted(row.id for row in index.matching(edition, filters, upcoming=False)) == \
            sorted(week)


def test_places_go_to_the_database(app):
    with app.test_request_context("/"):
        assert index.supports(ActivityFilters.from_args({"q": "conte"}))
        assert not index.supports(ActivityFilters.from_args({"near": "Rimouski"}))


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def quebec():
    """Municipality 23027, its name put back afterwards (reference data outlive a test)."""
    municipality = db.session.get(Municipality, "23027")
    name = municipality.name
    yield municipality
    db.session.rollback()
    db.session.get(Municipality, "23027").name = name
    db.session.commit()


def test_public_changes_show_on_the_next_request(client, edition, quebec):
    activity = make_activity(edition, title="Heure du conte",
                             occurrences=[occurrence_on(edition, day=1, hour=10)])
    pages = ("/", "/activites", "/calendrier", f"/organismes/{activity.organization.slug}")
    for path in pages:  # fills every memo of this version
        assert "Heure du conte" in _text(client.get(path))

    activity.title = "Heure du conte renommée"
    activity.organization.name = "Organisme renommé"
    quebec.name = "Québec renommée"
    db.session.commit()
    for path in pages:
        assert "Heure du conte renommée" in _text(client.get(path)), path
    listed = _text(client.get("/activites"))
    assert "Organisme renommé" in listed
    assert re.search(r'<option value="23027">Québec renommée</option>', listed)

    activity.occurrences[0].starts_at += timedelta(days=1, hours=1)
    activity.occurrences[0].ends_at += timedelta(days=1, hours=1)
    db.session.commit()
    day = (edition.starts_on + timedelta(days=2)).isoformat()
    assert "Heure du conte renommée" in _text(client.get(f"/calendrier?date={day}"))
    moved = activity.occurrences[0].starts_at.astimezone(UTC).isoformat()
    assert f'<time datetime="{moved}">' in _text(client.get("/activites"))

    sibling = make_activity(edition, title="Deuxième atelier", organization=activity.organization)
    for path in (f"/organismes/{activity.organization.slug}", f"/activites/{activity.id}"):
        assert "Deuxième atelier" in _text(client.get(path)), path
    sibling.state = ActivityState.REJECTED
    db.session.commit()
    assert "Deuxième atelier" not in _text(client.get(f"/activites/{activity.id}"))

    other = make_activity(edition, title="Atelier ajouté", category=Category.CULTURE)
    assert "Atelier ajouté" in _text(client.get(f"/activites?category={Category.CULTURE.value}"))
    assert "2 activités à venir" in _text(client.get("/activites"))
    assert "2 activités publiées" in _text(client.get("/"))

    other.state = ActivityState.SUBMITTED
    db.session.commit()
    for path in pages:
        assert "Atelier ajouté" not in _text(client.get(path)), path
    assert "1 activité à venir" in _text(client.get("/activites"))


def test_rendered_lists_follow_the_language(client, edition):
    make_activity(edition, title="Conte", format=Format.HYBRID)
    french = _text(client.get("/activites"))
    english = _text(client.get("/activites", headers={"Accept-Language": "en"}))
    assert "Hybride" in french and "Hybrid" in english and "Hybride" not in english
    assert "Tous les types" in french and "Tous les types" not in english
    week = _text(client.get("/calendrier", headers={"Accept-Language": "en"}))
    assert re.search(r'<time datetime="[^"]+">10:00\s*AM</time>', week)


def test_chosen_options_stay_selected(client, edition):
    make_activity(edition, title="Conte")
    text = _text(client.get("/activites?region=03&radius=50&format=hybrid"))
    assert '<option value="03" selected>' in text
    assert '<option value="50" selected>' in text
    assert '<option value="hybrid" selected>' in text
    assert text.count(" selected>") == 3


def test_activity_ending_drops_out_of_the_upcoming_list(client, edition):
    soon = utcnow() + timedelta(seconds=1.5)
    make_activity(edition, title="Bientôt finie", occurrences=[Occurrence(
        starts_at=soon - timedelta(hours=1), ends_at=soon, time_zone=TORONTO.key)])
    assert "Bientôt finie" in _text(client.get("/activites"))
    # No public change in between: the upcoming filter reads the clock on each request.
    time.sleep(max(0.0, (soon - utcnow()).total_seconds()) + 0.2)
    assert "Bientôt finie" not in _text(client.get("/activites"))
