"""Open data downloads: JSON, GeoJSON and CSV honour the list filters."""
import csv
import io

from gstp.activities.models import ActivityState, Format
from gstp.db import utcnow
from gstp.extensions import db
from tests.calendar.conftest import make_activity, occurrence_on


def _seed(edition):
    quebec = make_activity(edition, title="=HYPERLINK(\"x\") Conte")
    virtual = make_activity(edition, title="Causerie virtuelle", format=Format.VIRTUAL,
                            venue_name="", address="", latitude=None, longitude=None,
                            virtual_url="https://visio.example/c",
                            occurrences=[occurrence_on(edition, day=1),
                                         occurrence_on(edition, day=3)])
    cancelled = make_activity(edition, title="Annulée", state=ActivityState.CANCELLED,
                              region_code="01", municipality_code="10043")
    make_activity(edition, title="Soumise", state=ActivityState.SUBMITTED)
    return quebec, virtual, cancelled


def test_json(client, edition):
    quebec, virtual, cancelled = _seed(edition)
    data = client.get("/donnees/activites.json").get_json()
    assert data["count"] == 3 and data["licence"] == "CC BY 4.0"
    records = {r["id"]: r for r in data["activities"]}
    assert set(records) == {quebec.id, virtual.id, cancelled.id}
    assert records[cancelled.id]["status"] == "cancelled"
    assert len(records[virtual.id]["occurrences"]) == 2
    assert records[quebec.id]["url"] == f"http://localhost/activites/{quebec.id}"
    assert records[quebec.id]["occurrences"][0]["time_zone"] == "America/Toronto"
    filtered = client.get("/donnees/activites.json?region=01").get_json()
    assert [r["id"] for r in filtered["activities"]] == [cancelled.id]


def test_geojson(client, edition):
    quebec, virtual, cancelled = _seed(edition)
    response = client.get("/donnees/activites.geojson")
    assert response.mimetype == "application/geo+json"
    data = response.get_json()
    assert data["type"] == "FeatureCollection"
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == {quebec.id, cancelled.id}  # the virtual one has no point
    feature = features[quebec.id]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-71.2245, 46.8139]}
    assert feature["properties"]["url"].endswith(f"/activites/{quebec.id}")
    assert features[cancelled.id]["properties"]["status"] == "cancelled"
    only = client.get("/donnees/activites.geojson?format=virtual").get_json()
    assert only["features"] == []


def test_csv(client, edition):
    quebec, virtual, cancelled = _seed(edition)
    response = client.get("/donnees/activites.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 4  # one row per date: the virtual activity has two
    titles = {row["titre"] for row in rows}
    assert "'=HYPERLINK(\"x\") Conte" in titles  # formula neutralised
    assert "Soumise" not in titles
    assert {row["statut"] for row in rows} == {"published", "cancelled"}
    assert client.get("/donnees/activites.csv?region=01").get_data(as_text=True).count(
        "\r\n") == 2


def test_open_data_page(client, edition):
    text = client.get("/donnees").get_data(as_text=True)
    assert "CC BY 4.0" in text
    for url in ("/donnees/activites.json", "/donnees/activites.geojson",
                "/donnees/activites.csv", "/calendrier.ics", "/regions/01/calendrier.ics"):
        assert url in text


def test_data_files_answer_304_and_follow_changes(client, edition):
    quebec, _, _ = _seed(edition)
    first = client.get("/donnees/activites.geojson")
    assert client.get("/donnees/activites.geojson",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    csv_response = client.get("/donnees/activites.csv")
    assert csv_response.headers["Content-Disposition"].startswith("attachment;")
    quebec.title = "Nouveau titre"
    quebec.sequence += 1
    quebec.updated_at = utcnow()
    db.session.commit()
    changed = client.get("/donnees/activites.geojson",
                         headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Nouveau titre" in {f["properties"]["title"] for f in changed.get_json()["features"]}
