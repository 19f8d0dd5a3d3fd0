"""Control characters (CR, LF, NUL…) never reach a single-line field, by any path."""
import importlib
import inspect
import pkgutil

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from wtforms import Form

import gstp
from gstp.activities.models import Activity, ActivityState
from gstp.controls import multi_line, single_line
from gstp.extensions import db
from gstp.forms import BaseForm, BaseSubForm
from gstp.letters.models import ElectedOfficial
from gstp.organizations.models import Organization
from tests.activities.helpers import form_data, open_edition
from tests.factories import ActivityFactory, UserFactory

NASTY = "Heure\r\ndu\x00 conte\x0b\x1b\x85\u2028fin\tici\x7f"


def test_the_filters():
    assert single_line(NASTY) == "Heure du conte fin ici"
    assert multi_line("Un\r\ndeux\rtrois\x00\x1b\n\tquatre\x9f") == "Un\ndeux\ntrois\n\tquatre"
    assert single_line(None) is None and multi_line(3) == 3


def _form_classes():
    for module in pkgutil.walk_packages(gstp.__path__, "gstp."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, Form) and cls.__module__.startswith("gstp.") and \
                    cls.__module__ != "gstp.forms":
                yield cls


def test_every_form_of_the_app_cleans_its_text_fields(app):
    classes = set(_form_classes())
    assert len(classes) > 15
    assert [c.__name__ for c in classes if not issubclass(c, BaseForm | BaseSubForm)] == []


def test_activity_form_normalises_and_the_feed_still_builds(client, as_user):
    edition = open_edition()
    user = UserFactory()
    as_user(user)
    response = client.post("/mes-activites/nouvelle", data=form_data(
        edition, title=NASTY, venue_name="Salle\nB", description="Ligne 1\r\nLigne 2\x00"))
    assert response.status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert activity.title == "Heure du conte fin ici"
    assert activity.venue_name == "Salle B"
    assert activity.description == "Ligne 1\nLigne 2"
    activity.state = ActivityState.PUBLISHED
    db.session.commit()
    feed = client.get(f"/activites/{activity.id}.ics")
    assert feed.status_code == 200
    event = Calendar.from_ical(feed.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Heure du conte fin ici"


def test_profile_form_drops_nul(client, as_user):
    user = UserFactory()
    as_user(user)
    assert client.post("/organisme/profil", data={
        "org_name": "CPE\x00 Les\nPetits Pas", "org_type": "service_de_garde", "region": "03",
        "municipality": "Québec", "languages": ["fr"],
        "description": "Bonjour\x00\r\nà tous"}).status_code == 302
    organization = db.session.get(Organization, user.organization_id)
    assert (organization.name, organization.description) == (
        "CPE Les Petits Pas", "Bonjour\nà tous")


def test_imports_and_commands_store_clean_text(runner, tmp_path):
    path = tmp_path / "elus.csv"
    path.write_text('level,seat_code,title,full_name,postal_address\n'
                    'municipal,23027,Maire\x00,"Bruno\r\nMarchand\x1b","1, rue\r\nQuébec\x00"\n',
                    encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-officials", str(path)])
    assert result.exit_code == 0, result.output
    official = db.session.scalar(sa.select(ElectedOfficial))
    assert (official.full_name, official.title, official.postal_address) == (
        "Bruno Marchand", "Maire", "1, rue\nQuébec")


@pytest.mark.parametrize("broken", ["Titre\nsur deux lignes", "Titre\rCR", "Titre\x0cFF"])
def test_an_older_row_with_a_line_break_does_not_break_the_feed(client, broken):
    """Rows written before the filters (or by hand-typed SQL) still give a valid feed."""
    activity = ActivityFactory(edition=open_edition())
    db.session.execute(sa.text("UPDATE activity SET title = :t"), {"t": broken})
    db.session.execute(sa.text("UPDATE organization SET name = :t"), {"t": broken})
    db.session.commit()
    for url in (f"/activites/{activity.id}.ics", "/calendrier.ics"):
        response = client.get(url)
        assert response.status_code == 200
        event = Calendar.from_ical(response.data).walk("VEVENT")[0]
        assert "\n" not in str(event["SUMMARY"]) and "\r" not in str(event["SUMMARY"])
        assert "\n" not in event["ORGANIZER"].params["CN"]
