"""« Near me » when places are known only to their municipality: ranked by municipality."""
import html

from tests.calendar.conftest import make_activity
from tests.calendar.test_pages import _titles

# Montréal's centre in the gazetteer: where the offline geocoder puts every Montréal address.
MONTREAL = {"municipality_code": "66023", "region_code": "06",
            "latitude": 45.52662, "longitude": -73.6527}


def test_near_me_ranks_by_municipality_when_only_the_municipality_is_known(client, edition):
    make_activity(edition, title="Rue Sherbrooke", geocoding_source="gazetteer", **MONTREAL)
    make_activity(edition, title="Rue Ontario", geocoding_source="postal_code", **MONTREAL)
    # Laval, placed by a street-level geocoder about 12 km from Montréal's centre.
    make_activity(edition, title="À Laval", municipality_code="65005", region_code="13",
                  latitude=45.5700, longitude=-73.7900, geocoding_source="nominatim")
    make_activity(edition, title="À Québec", geocoding_source="nominatim")
    # A visitor's postal code in Montréal is itself known only to the municipality.
    response = client.get("/activites?near=H3A+0G4&radius=5")
    page = html.unescape(response.get_data(as_text=True))
    titles = _titles(response)
    # Both Montréal activities, whatever the radius, before the other municipalities.
    assert titles[:2] in (["Rue Sherbrooke", "Rue Ontario"], ["Rue Ontario", "Rue Sherbrooke"])
    assert "À Québec" not in titles
    assert page.count("dans la même municipalité") == 2
    assert "est connu seulement à la municipalité" in page
    wider = _titles(client.get("/activites?near=H3A+0G4&radius=25"))
    assert wider[2:] == ["À Laval"]


def test_activity_page_says_when_its_point_is_the_municipality_centre(client, edition):
    approximate = make_activity(edition, geocoding_source="gazetteer", **MONTREAL)
    precise = make_activity(edition, geocoding_source="nominatim")
    note = "Emplacement approximatif : le point marque le centre de Montréal, pas l'adresse."
    assert note in html.unescape(client.get(f"/activites/{approximate.id}").get_data(as_text=True))
    assert "Emplacement approximatif" not in client.get(f"/activites/{precise.id}").get_data(
        as_text=True)
    english = client.get(f"/activites/{approximate.id}?lang=en")
    assert "Approximate location" in html.unescape(english.get_data(as_text=True))


def test_near_me_keeps_true_distances_between_municipalities(client, edition):
    make_activity(edition, title="À Rimouski", municipality_code="10043", region_code="01",
                  latitude=48.4488, longitude=-68.5236, geocoding_source="nominatim")
    make_activity(edition, title="À Sainte-Luce", municipality_code="09077", region_code="01",
                  latitude=48.5469, longitude=-68.3894, geocoding_source="gazetteer")
    response = client.get("/activites?near=Rimouski&radius=50")
    assert _titles(response) == ["À Rimouski", "À Sainte-Luce"]
    page = html.unescape(response.get_data(as_text=True))
    # The Rimouski activity is in the visitor's municipality, known only by its name there.
    assert "dans la même municipalité" in page and " km" in page
