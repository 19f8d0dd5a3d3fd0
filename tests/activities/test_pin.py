"""The pin of the activity form: the organizer's point wins and stays until the address changes."""
import re
from html import unescape

import pytest

from gstp.activities.models import Activity, GeocodingStatus
from gstp.extensions import db
from tests.activities.helpers import form_data, only_activity, open_edition

# A point in Lévis, across the river from the address of form_data (Québec, region 03).
LEVIS = ("46.711040", "-71.241950")


def _edit(client, activity, edition, **overrides):
    data = form_data(edition, **overrides)
    return client.post(f"/mes-activites/{activity.id}/modifier", data=data)


def test_form_shows_the_geocoded_pin(client, organizer):
    edition = open_edition()
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    activity = only_activity()
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    html = unescape(client.get(f"/mes-activites/{activity.id}/modifier").get_data(as_text=True))
    assert 'id="geo-map"' in html and "leaflet.js" in html
    for name in ("latitude", "longitude"):
        value = f"{getattr(activity, name):.6f}"
        assert re.search(rf'<input[^>]* id="{name}"[^>]* value="{value}"', html), name


def test_pin_placed_on_submission_wins_and_region_mrc_follow_it(client, organizer):
    edition = open_edition()
    client.post("/mes-activites/nouvelle",
                data=form_data(edition, latitude=LEVIS[0], longitude=LEVIS[1]))
    activity = only_activity()
    assert (activity.latitude, activity.longitude) == (46.71104, -71.24195)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    assert activity.geocoding_source == "organizer"
    # Region and MRC come from their polygons around the pin, not from the address.
    assert (activity.region_code, activity.mrc_code) == ("12", "251")
    assert activity.municipality_code == "23027"


def test_moved_pin_is_kept_on_later_edits_until_the_address_changes(client, organizer):
    edition = open_edition()
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    activity = only_activity()
    geocoded = (activity.latitude, activity.longitude)
    _edit(client, activity, edition, latitude=LEVIS[0], longitude=LEVIS[1])
    assert (activity.latitude, activity.longitude, activity.region_code) == (
        46.71104, -71.24195, "12")
    # Another edit posts the pin back where it is: kept, and nothing new to announce.
    _edit(client, activity, edition, title="Heure du conte", latitude=LEVIS[0],
          longitude=LEVIS[1])
    assert activity.title == "Heure du conte"
    assert (activity.latitude, activity.longitude) == (46.71104, -71.24195)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    # A new address is placed afresh: the old pin does not follow it.
    _edit(client, activity, edition, address="2, rue des Jardins", latitude=LEVIS[0],
          longitude=LEVIS[1])
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert (activity.latitude, activity.longitude) == geocoded
    assert activity.region_code == "03"


def test_pin_outside_quebec_is_refused_and_nothing_saved(client, organizer):
    edition = open_edition()
    client.post("/mes-activites/nouvelle", data=form_data(edition))
    activity = only_activity()
    # Fredericton: inside Québec's bounding box, outside its borders.
    response = _edit(client, activity, edition, title="Autre titre", latitude="45.963600",
                     longitude="-66.643100")
    assert response.status_code == 200
    assert "Ce point est hors du Québec." in unescape(response.get_data(as_text=True))
    db.session.refresh(activity)
    assert activity.title == "Heure du conte des tout-petits"
    assert activity.region_code == "03"


def test_half_a_pin_is_an_error(client, organizer):
    edition = open_edition()
    response = client.post("/mes-activites/nouvelle",
                           data=form_data(edition, latitude=LEVIS[0]))
    assert "Indiquez la latitude et la longitude" in unescape(response.get_data(as_text=True))
    assert db.session.scalars(db.select(Activity)).all() == []


def test_a_virtual_activity_ignores_a_pin(client, organizer):
    edition = open_edition()
    client.post("/mes-activites/nouvelle", data=form_data(
        edition, format="virtual", virtual_url="https://visio.example/conte", address="",
        municipality="", postal_code="", latitude=LEVIS[0], longitude=LEVIS[1]))
    activity = only_activity()
    assert activity.latitude is None
    assert activity.geocoding_status is GeocodingStatus.NOT_APPLICABLE


def test_place_preview_says_where_the_address_goes(client, organizer):
    def preview(**args):
        return client.get("/mes-activites/localiser", query_string=args).get_json()

    found = preview(address="350, rue Saint-Joseph Est", postal_code="g1k3b2",
                    municipality="Québec (23027)")
    assert found["found"] is True and found["approximate"] is True  # offline: the municipality
    assert (found["latitude"], found["longitude"]) == pytest.approx((46.8, -71.2), abs=0.2)
    assert preview(address="", postal_code="", municipality="Blanc-Sablon")["latitude"] > 51
    assert preview(address="nulle part", postal_code="zzz", municipality="") == {"found": False}
    assert db.session.scalars(db.select(Activity)).all() == []


def test_place_preview_needs_an_organizer(client):
    response = client.get("/mes-activites/localiser?municipality=Québec")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
