"""/donnees/datapackage.json: a Frictionless Data Package whose CSV validates against it."""
from datetime import date

import pytest
from frictionless import Package, validate

from gstp.activities.models import ActivityState, Format
from gstp.calendar.opendata import CSV_HEADER
from tests.calendar.conftest import make_activity, occurrence_on
from tests.factories import EditionFactory, OrganizationFactory


@pytest.fixture
def base_url_from_request(app):
    """Links of the descriptor point to the live server (PUBLIC_BASE_URL unset)."""
    app.config["PUBLIC_BASE_URL"] = ""
    yield
    app.config["PUBLIC_BASE_URL"] = "http://localhost"


def _activities():
    edition = EditionFactory(year=date.today().year + 1)
    make_activity(edition, title="Conte à Rimouski", region_code="01", municipality_code="10043",
                  mrc_code="10", latitude=48.45, longitude=-68.52, is_free=False,
                  price_details="5 $", occurrences=[occurrence_on(edition, day=1),
                                                     occurrence_on(edition, day=3)])
    make_activity(edition, title="=Jeu en ligne", format=Format.VIRTUAL, address="",
                  venue_name="", municipality_code=None, region_code=None, mrc_code=None,
                  postal_code=None, latitude=None, longitude=None,
                  virtual_url="https://visio.example/jeu",
                  organization=OrganizationFactory(name="+Organisme"))
    make_activity(edition, title="Fête annulée", state=ActivityState.CANCELLED)


def test_the_descriptor_describes_every_csv_column(client):
    response = client.get("/donnees/datapackage.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    package = response.get_json()
    [resource] = package["resources"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert list(fields) == list(CSV_HEADER)
    assert fields["region"]["type"] == "string"
    assert fields["region"]["constraints"]["pattern"] == "^[0-9]{2}$"
    assert fields["gratuit"] == {**fields["gratuit"], "type": "boolean",
                                 "trueValues": ["oui"], "falseValues": ["non"]}
    assert fields["debut"]["type"] == "datetime" and fields["latitude"]["type"] == "number"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"][0]["path"].endswith("/donnees")
    assert resource["path"].endswith("/donnees/activites.csv?all=1")
    english = client.get("/donnees/datapackage.json?lang=en").get_json()
    assert english["title"] == "Activities of the Grande semaine des tout-petits"
    assert 'href="/donnees/datapackage.json"' in client.get("/donnees").get_data(as_text=True)


def test_frictionless_validates_the_published_csv(live_server, base_url_from_request):
    _activities()
    # As `frictionless validate URL` does: the descriptor, then the CSV it points to.
    report = validate(f"{live_server}/donnees/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    [task] = report.tasks
    assert task.stats["rows"] == 4  # two dates, one virtual, one cancelled
    package = Package(f"{live_server}/donnees/datapackage.json")
    rows = package.get_resource("activites").read_rows()
    rimouski = [row for row in rows if row["titre"] == "Conte à Rimouski"]
    assert [r["region"] for r in rimouski] == ["01", "01"]  # the zero kept
    assert rimouski[0]["gratuit"] is False and rimouski[0]["mrc"] == "10"
    virtual = next(row for row in rows if row["organisme"] == "'+Organisme")
    assert virtual["region"] is None and virtual["latitude"] is None
    assert {row["statut"] for row in rows} == {"published", "cancelled"}
