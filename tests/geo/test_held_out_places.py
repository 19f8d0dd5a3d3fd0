"""Held-out check of the offline geocoder: 60 places as organizers type them, every region.

Expected answers were written from knowledge of Québec's geography (which municipality,
reserve or former town a name means, which district covers a neighbourhood), not read off
the geocoder; the postal codes are real codes of those places.
"""
import csv
import json

import pytest

from gstp.geo.gazetteer import gazetteer
from gstp.geo.reference import DATA_DIR

# (text typed, expected MAMH code, expected region)
PLACES = [
    # First Nations communities: reserves, and their usual names and spellings
    ("Wendake", "23802", "03"),
    ("Village-des-Hurons", "23802", "03"),
    ("Kahnawake", "67802", "16"),
    ("Mashteuiatsh", "91802", "02"),
    ("Pointe-Bleue", "91802", "02"),
    ("Odanak", "50802", "17"),
    ("Wolinak", "38802", "17"),
    ("Manouane", "62802", "14"),
    ("Wemotaci", "90802", "04"),
    ("Opitciwan", "90804", "04"),
    ("Obedjiwan", "90804", "04"),
    ("Kitigan Zibi", "83802", "07"),
    ("Pikogan", "88802", "08"),
    ("Listuguj", "06804", "11"),
    ("Gesgapegiag", "06802", "11"),
    ("Essipit", "95802", "09"),
    ("Pessamit", "96802", "09"),
    ("Uashat mak Mani-utenam", "97802", "09"),
    ("Mani-utenam", "97804", "09"),
    ("Matimekush", "97808", "09"),
    ("Akwesasne", "69802", "16"),
    ("Timiskaming", "85806", "08"),
    ("Ekuanitshit", "98808", "09"),
    ("Unamen Shipu", "98804", "09"),
    ("Nutashkuan", "98806", "09"),
    # communities without a reserve: the municipality they belong to
    ("Kanesatake", "72032", "15"),
    ("Pakua Shipi", "98012", "09"),
    # a name shared by a municipality and a community: the postal code decides
    ("Lac-Simon J0Y 3M0", "89804", "08"),
    ("Lac-Simon J0V 1E0", "80095", "07"),
    ("Natashquan G0G 2E0", "98025", "09"),
    ("Mingan G0G 1P0", "98040", "09"),
    # Cree, Naskapi and Inuit villages
    ("Chisasibi", "99055", "10"),
    ("Kuujjuaq", "99095", "10"),
    ("Kawawachikamach", "99065", "10"),
    # former municipalities of merged cities
    ("Jonquière", "94068", "02"),
    ("Chicoutimi", "94068", "02"),
    ("Aylmer", "81017", "07"),
    ("Hull", "81017", "07"),
    ("Sainte-Foy", "23027", "03"),
    ("Charlesbourg", "23027", "03"),
    ("Cap-de-la-Madeleine", "37067", "04"),
    ("Saint-Romuald", "25213", "12"),
    ("Laval-des-Rapides", "65005", "13"),
    ("Vieux-Longueuil", "58227", "16"),
    ("Lachine", "66023", "06"),
    ("Rock Forest", "43027", "05"),
    ("Le Gardeur", "60013", "14"),
    # English and unaccented spellings, abbreviations
    ("Quebec City", "23027", "03"),
    ("Montreal", "66023", "06"),
    ("Levis", "25213", "12"),
    ("Riviere-du-Loup", "12072", "01"),
    ("Sept-Iles", "97007", "09"),
    ("Gaspe", "03005", "11"),
    ("Val d'Or", "89008", "08"),
    ("St-Jerome", "75017", "15"),
    ("Iles-de-la-Madeleine", "01023", "11"),
    # and a town of each remaining region
    ("Thetford Mines", "31084", "12"),
    ("Victoriaville", "39062", "17"),
    ("Chibougamau", "99025", "10"),
    ("Granby", "47017", "05"),
]

# Split cities: (place typed, postal code, city code, expected 2026 district name)
SPLIT_CITY_POSTAL_CODES = [
    ("2, rue des Jardins, Québec", "G1R 4S9", "23027", "Taschereau"),
    ("Sainte-Foy", "G1V 0A6", "23027", "Jean-Talon"),
    ("Charlesbourg", "G1H 1A1", "23027", "Charlesbourg"),
    ("Montréal", "H2Y 1C6", "66023", "Sainte-Marie–Saint-Jacques"),
    ("Montréal", "H1V 3N7", "66023", "Hochelaga-Maisonneuve"),
    ("Verdun", "H4G 2E7", "66023", "Verdun"),
    ("Lachine", "H8S 1T4", "66023", "Marquette"),
    ("Anjou", "H1K 4B1", "66023", "Anjou–Louis-Riel"),
    ("Pointe-aux-Trembles", "H1B 3K7", "66023", "Pointe-aux-Trembles"),
    ("Laval", "H7V 1W7", "65005", "Chomedey"),
    ("Laval-des-Rapides", "H7N 3P4", "65005", "Laval-des-Rapides"),
    ("Sainte-Rose, Laval", "H7L 3M5", "65005", "Sainte-Rose"),
    ("Gatineau", "J8X 4C8", "81017", "Hull"),
    ("Aylmer", "J9H 3M2", "81017", "Pontiac"),
    ("Jonquière", "G7X 7W7", "94068", "Jonquière"),
    ("Chicoutimi", "G7H 4B2", "94068", "Chicoutimi"),
    ("Sherbrooke", "J1H 3M8", "43027", "Sherbrooke"),
    ("Trois-Rivières", "G9A 3L7", "37067", "Trois-Rivières"),
    ("Cap-de-la-Madeleine", "G8T 5J4", "37067", "Champlain"),
    ("Lévis", "G6V 4S1", "25213", "Lévis"),
    ("Vieux-Longueuil", "J4K 3C2", "58227", "Marie-Victorin"),
    ("Saint-Hubert", "J3Y 4V8", "58227", "Vachon"),
    ("Rouyn-Noranda", "J9X 3X7", "86042", "Rouyn-Noranda–Témiscamingue"),
    ("Terrebonne", "J6W 1B5", "64008", "Terrebonne"),
    ("Saint-Jean-sur-Richelieu", "J3B 4N6", "56083", "Saint-Jean"),
    ("Repentigny", "J6A 2B6", "60013", "Repentigny"),
    ("Mirabel", "J7J 1Y3", "74005", "Mirabel"),
]


@pytest.fixture(scope="module")
def district_names():
    with (DATA_DIR / "districts_2026.csv").open(encoding="utf-8") as handle:
        return {code: name for name, code, _slug, _region in csv.reader(handle)}


def test_the_table_covers_every_region():
    assert len(PLACES) == 60
    assert {region for _text, _code, region in PLACES} == {f"{n:02d}" for n in range(1, 18)}


@pytest.mark.parametrize("text, code, region", PLACES)
def test_held_out_place(text, code, region):
    result = gazetteer().geocode(text)
    assert result is not None, text
    assert (result.municipality_code, result.region_code) == (code, region)
    # A point inside the region it belongs to (polygons), or on its shore.
    assert gazetteer().locate_point(result.latitude, result.longitude)[0] is not None


@pytest.mark.parametrize("text, postal_code, city, district", SPLIT_CITY_POSTAL_CODES)
def test_postal_code_gives_the_district_in_split_cities(text, postal_code, city, district,
                                                         district_names):
    assert city in gazetteer().split_city_codes
    result = gazetteer().geocode(text, postal_code=postal_code)
    assert result.municipality_code == city
    assert district_names[result.district_code] == district


def test_without_postal_code_a_split_city_has_no_district():
    for text, _postal_code, city, _district in SPLIT_CITY_POSTAL_CODES:
        assert gazetteer().geocode(text).district_code is None
        assert len(gazetteer().districts_of(city)) > 1


def test_a_reserve_has_the_district_of_its_row(district_names):
    assert district_names[gazetteer().geocode("Wendake").district_code] == "Chauveau"
    assert district_names[gazetteer().geocode("Kahnawake").district_code] == "Châteauguay"


@pytest.mark.parametrize("text, name, region, district", [
    ("Wendake", "Wendake", "Capitale-Nationale", "Chauveau"),
    ("Opitciwan", "Obedjiwan", "Mauricie", "Laviolette–Saint-Maurice"),
    ("Lac-Simon, Abitibi-Témiscamingue", "Lac-Simon", "Abitibi-Témiscamingue", "Abitibi-Est"),
])
def test_the_geocode_command_places_a_community(runner, text, name, region, district):
    result = runner.invoke(args=["gstp", "geocode", text])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert (answer["municipality"], answer["region"], answer["district"]) == (
        name, region, district)
