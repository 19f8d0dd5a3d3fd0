"""Offline geocoder: name variants, addresses, postal codes, polygons, districts."""
import csv

import pytest

from gstp.geo.gazetteer import gazetteer
from gstp.geo.reference import DATA_DIR, LOCAL_DESIGNATION_CODES
from gstp.geo.text import normalise_postal_code, parse_address


@pytest.fixture(scope="module")
def gaz():
    return gazetteer()


@pytest.mark.parametrize("text, code", [
    ("Saint-Jérôme", "75017"), ("St-Jérôme", "75017"), ("st jerome", "75017"),
    ("ST. JÉRÔME", "75017"), ("Ste-Anne-des-Monts", "04037"), ("Sainte Anne des Monts", "04037"),
    ("Ville de Gatineau", "81017"), ("Municipalité de Lac-Beauport", "22040"),
    ("MONTREAL", "66023"), ("montréal", "66023"), ("Trois Rivieres", "37067"),
    ("Iles-de-la-Madeleine", "01023"), ("L'Ange-Gardien", None),
    ("Chicoutimi", "94068"), ("Hull", "81017"), ("Sherbroke", "43027"),
])
def test_name_variants(gaz, text, code):
    result = gaz.geocode(text)
    assert result is not None
    if code:
        assert result.municipality_code == code
    else:  # a homonym: the most populous of that name, in any case a real one
        assert result.municipality == "L'Ange-Gardien"


def test_full_street_address_names_the_city_not_the_street(gaz):
    result = gaz.geocode("350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2")
    assert (result.municipality_code, result.region_code) == ("23027", "03")
    # Québec is split over districts: the postal code's 2017 district carries over.
    assert result.district_code == "751"  # Taschereau


def test_address_parsing():
    parsed = parse_address("1234 boul. Saint-Laurent, Montréal, QC  h2x-2t1")
    assert parsed.postal_code == "H2X2T1" and parsed.fsa == "H2X"
    assert parsed.segments[0] == "montreal"
    assert normalise_postal_code("g1k 3b2") == "G1K3B2"
    assert normalise_postal_code("pas de code") is None
    assert parse_address("G0A").fsa == "G0A"


def test_postal_codes(gaz):
    town_hall = gaz.geocode("", postal_code="J0E 1B0")  # Abercorn's own code
    assert town_hall.municipality_code == "46005" and town_hall.source == "postal_code"
    urban = gaz.geocode("H2X 2T1")
    assert urban.municipality_code == "66023" and urban.region_code == "06"
    assert gaz.geocode("G0A") is None  # a rural FSA spans too many towns
    assert gaz.geocode("xyzzy nowhere") is None


def test_homonyms_are_told_apart_by_postal_code(gaz):
    lac = gaz.geocode("Sainte-Jeanne-d'Arc G0W 2G0")
    assert lac.municipality_code == "92015" and lac.region_code == "02"


def test_every_local_municipality_and_inhabited_reserve_can_be_placed(gaz):
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    local = [r for r in rows if r["designation_code"] in LOCAL_DESIGNATION_CODES]
    assert len(local) == 1122
    assert all(r["latitude"] and r["longitude"] for r in local)
    reserves = [r for r in rows if r["designation_code"] == "20"]
    placed = {r["code"] for r in reserves if r["latitude"]}
    # Only the two uninhabited reserves (population 0) have no point.
    assert {r["name"] for r in reserves if not r["latitude"]} == {"Coucoucache", "Kataskomiq"}
    assert set(gaz.municipalities) == {r["code"] for r in local} | placed


@pytest.mark.parametrize("name, code", [
    ("Kuujjuaq", "99095"), ("Salluit", "99135"), ("Chisasibi", "99055"),
    ("Ivujivik", "99140"), ("Oujé-Bougoumou", "99820"),
])
def test_northern_villages(gaz, name, code):
    result = gaz.geocode(name)
    assert result.municipality_code == code and result.region_code == "10"
    assert result.latitude > 49
    assert gaz.locate_point(result.latitude, result.longitude)[0] == "10"


@pytest.mark.parametrize("lat, lon, region, mrc", [
    (46.8139, -71.2245, "03", "23"),   # Québec
    (45.5017, -73.5673, "06", "66"),   # Montréal
    (51.4266, -57.1313, "09", "982"),  # Blanc-Sablon
    (58.1030, -68.3994, "10", "992"),  # Kuujjuaq, Kativik
    (45.4765, -75.7013, "07", "81"),   # Gatineau
])
def test_point_in_polygon(gaz, lat, lon, region, mrc):
    assert gaz.locate_point(lat, lon) == (region, mrc)


def test_point_outside_quebec(gaz):
    assert gaz.locate_point(43.65, -79.38) == (None, None)  # Toronto


def test_gazetteer_points_agree_with_polygons(gaz):
    wrong = [m.code for m in gaz.municipalities.values()
             if gaz.locate_point(m.latitude, m.longitude)[0] != m.region_code]
    assert wrong == ["99065"]  # Kawawachikamach: MAMH region 10, village in Côte-Nord


def test_district_crosswalk_samples(gaz):
    munis = gaz.municipalities
    assert munis["46005"].district_2026 == "157"  # Abercorn: Brome-Missisquoi
    assert munis["75017"].district_2026 == "597"  # Saint-Jérôme
    assert munis["99095"].district_2026 == "831"  # Kuujjuaq: Ungava
    assert munis["48028"].district_2026 == "131"  # Acton Vale: Johnson → Daniel-Johnson
    assert munis["66023"].district_2026 is None   # Montréal: many districts
    assert gaz.district_for(munis["66023"], "H2X2T1") == "291"  # Westmount–Saint-Louis
    # A postal code of another town's district never gives Montréal a district.
    assert gaz.district_for(munis["66023"], "G1K3B2") is None


def test_district_crosswalk_is_loaded(app):
    from gstp.extensions import db
    from gstp.geo.models import Municipality

    assert db.session.get(Municipality, "46005").district_code == "157"
    assert db.session.get(Municipality, "66023").district_code is None


def test_every_placed_reserve_and_land_lies_in_its_region(gaz):
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["designation_code"] in {"20", "21", "22", "23"} and r["latitude"]]
    assert len(rows) == 51  # 28 reserves (2 uninhabited ones have none) and 23 lands
    sources = {r["coordinate_source"].split("-")[0] for r in rows}
    assert sources == {"geonames", "beside", "village"}
    for row in rows:
        region, _mrc = gaz.locate_point(float(row["latitude"]), float(row["longitude"]))
        # Kawawachikamach: MAMH puts it in region 10, its village lies in Côte-Nord (09).
        assert region == row["region_code"] or row["name"] == "Kawawachikamach", row["name"]


@pytest.mark.parametrize("text, code", [
    ("Lac-Simon, Abitibi-Témiscamingue", "89804"), ("CPE, Lac-Simon (Outaouais)", "80095"),
    ("Sainte-Monique, Saguenay–Lac-Saint-Jean", "93075"),
    ("Sainte-Monique, Centre-du-Québec", "50057"),
    ("Montréal", "66023"), ("Laval", "65005"),  # a city before the region of that name
])
def test_a_region_named_in_the_text_picks_the_homonym(gaz, text, code):
    assert gaz.geocode(text).municipality_code == code
