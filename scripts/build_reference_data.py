"""Derive the shipped reference files in gstp/geo/data from the Québec open data sources.

Run once when the sources change: python scripts/build_reference_data.py SOURCE_DIR
SOURCE_DIR holds MUN.csv, regions.geojson, mrc.geojson, gazetteer_draft.csv,
districts_2026.csv, mna_2026_unverified.csv and postal_codes_to_district_2017.csv
(see gstp/geo/data/README.md, which documents every rule applied here).
"""
import csv
import gzip
import json
import re
import shutil
import sys
import unicodedata
from pathlib import Path

from build_communities import community_points
from shapely.geometry import Point, shape

OUT = Path(__file__).resolve().parent.parent / "gstp" / "geo" / "data"
CODE_IN_PARENS = re.compile(r"\((\d+)\)\s*$")
DISTRICT_PART = re.compile(r"([^;()]+?) \((\d+)\)")
LOCAL_DESIGNATION_CODES = {"01", "02", "04", "05", "06", "07", "08", "09", "10"}

# Northern villages (Nunavik, Eeyou Istchee, Naskapi) have no GeoNames point in the
# draft: coordinates of each village centre, rounded to 0.01°, from the Commission de
# toponymie du Québec gazetteer; each is checked below against its SDA region polygon.
NORTHERN_VILLAGES = {
    "99010": (49.69, -75.96),  # Waswanipi
    "99030": (50.42, -73.87),  # Mistissini
    "99035": (51.48, -78.76),  # Waskaganish
    "99040": (51.69, -76.24),  # Nemaska
    "99045": (52.24, -78.52),  # Eastmain
    "99050": (53.01, -78.83),  # Wemindji
    "99055": (53.79, -78.91),  # Chisasibi
    "99065": (54.86, -66.77),  # Kawawachikamach
    "99070": (55.28, -77.76),  # Whapmagoostui
    "99075": (55.28, -77.75),  # Kuujjuarapik
    "99080": (56.55, -76.55),  # Umiujaq
    "99085": (58.45, -78.10),  # Inukjuak
    "99090": (58.69, -65.95),  # Kangiqsualujjuaq
    "99095": (58.10, -68.40),  # Kuujjuaq
    "99100": (58.70, -69.93),  # Tasiujaq
    "99105": (59.30, -69.60),  # Aupaluk
    "99110": (60.02, -70.03),  # Kangirsuk
    "99115": (61.05, -69.63),  # Quaqtaq
    "99120": (60.04, -77.28),  # Puvirnituq
    "99125": (60.81, -78.20),  # Akulivik
    "99130": (61.60, -71.96),  # Kangiqsujuaq
    "99135": (62.20, -75.64),  # Salluit
    "99140": (62.42, -77.91),  # Ivujivik
    "99820": (49.92, -74.82),  # Oujé-Bougoumou
}

# 2017 districts renamed on the 2026 map (same territory assumed, see README).
RENAMED_DISTRICTS = {
    "Johnson": "Daniel-Johnson",
    "Arthabaska": "Arthabaska-L’Érable",
    "Laporte": "Pierre-Laporte",
    "Bourget": "Camille-Laurin",
    "Vimont": "Vimont-Auteuil",
    "Rivière-du-Loup--Témiscouata": "Rivière-du-Loup–Témiscouata–Les Basques",
    "Matane-Matapédia": "Matane-Matapédia-Mitis",
}
# 2017 districts that gave territory to a district created in 2026: their municipalities
# keep the carried-over district but are flagged for staff review.
DONORS_OF_NEW_DISTRICTS = {
    "Drummond--Bois-Francs", "Arthabaska", "Nicolet-Bécancour", "Johnson",  # → M.-L.-Gérin-Lajoie
    "Saint-Jérôme", "Mirabel", "Prévost", "Argenteuil",  # → Bellefeuille
}


def district_key(name: str) -> str:
    """Compare district names across maps: no accents, dashes, quotes or case."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    return re.sub(r"[^a-z]+", "", text.encode("ascii", "ignore").decode().lower())


def _code(text: str) -> str | None:
    match = CODE_IN_PARENS.search(text or "")
    return match.group(1) if match else None


def _mrc_code(row: dict, known: set[str]) -> str | None:
    """MAMH writes MRC codes as 3 digits ("460"); SDA polygons use "46" or "371"."""
    for candidate in (_code(row["mrc"]), _code(row["divrec"])):
        if not candidate:
            continue
        for form in (candidate, candidate[:-1] if candidate.endswith("0") else None,
                     candidate + "1"):
            if form in known:
                return form
    return None


def _polygons(path: Path, code_key: str) -> dict[str, object]:
    shapes: dict[str, object] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        code = feature["properties"][code_key]
        geometry = shape(feature["geometry"])
        shapes[code] = shapes[code].union(geometry) if code in shapes else geometry
    return shapes


def _checked_point(draft: dict, code: str, area) -> tuple[str, str]:
    """The draft point of `code` inside its MRC; the draft joined some homonyms twice.

    A point left over by such a homonym goes to the other municipality of that name
    (the draft lacks it) when it falls inside that one's MRC.
    """
    candidates = draft.get(code, [])
    if not candidates:
        candidates = [p for points in draft.values() if len(points) > 1 for p in points]
    for lat, lon in candidates:
        if area is None or area.buffer(0.02).contains(Point(float(lon), float(lat))):
            return lat, lon
    return "", ""


def district_crosswalk(old_names: dict[str, str], source: Path) -> dict[str, tuple[str, str]]:
    """2017 district code → (2026 district code, rule)."""
    new_by_key = {district_key(name): code
                  for name, code, _slug, _region in csv.reader(
                      (source / "districts_2026.csv").open(encoding="utf-8"))}
    result = {}
    for old_code, old_name in old_names.items():
        target = RENAMED_DISTRICTS.get(old_name, old_name)
        new_code = new_by_key.get(district_key(target))
        if new_code is None:
            continue
        rule = "renamed" if old_name in RENAMED_DISTRICTS else "same-name"
        if old_name in DONORS_OF_NEW_DISTRICTS:
            rule += "-check"
        result[old_code] = (new_code, rule)
    return result


def main(source: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("regions.geojson", "mrc.geojson", "districts_2026.csv",
                 "mna_2026_unverified.csv"):
        shutil.copyfile(source / name, OUT / name)
    regions = _polygons(source / "regions.geojson", "code")
    mrcs = _polygons(source / "mrc.geojson", "MRS_CO_MRC")
    draft: dict[str, list[tuple[str, str]]] = {}
    for r in csv.DictReader((source / "gazetteer_draft.csv").open(encoding="utf-8")):
        draft.setdefault(r["code"], []).append((r["lat"], r["lon"]))
    with (source / "MUN.csv").open(encoding="utf-8-sig") as src:
        rows = list(csv.DictReader(src))

    old_names = {code: name.strip() for row in rows
                 for name, code in DISTRICT_PART.findall(row["mcirc"])}
    crosswalk = district_crosswalk(old_names, source)
    with (OUT / "districts_2017_to_2026.csv").open("w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(["district_2017", "name_2017", "district_2026", "rule"])
        for code in sorted(old_names):
            new_code, rule = crosswalk.get(code, ("", "none"))
            writer.writerow([code, old_names[code], new_code, rule])

    stats = {"geonames": 0, "manual": 0, "mrc-centroid": 0, "outside-region": 0,
             "mrc-from-polygon": 0}
    mrc_regions = {f["properties"]["MRS_CO_MRC"]: f["properties"]["MRS_CO_REG"] for f in
                   json.loads((source / "mrc.geojson").read_text(encoding="utf-8"))["features"]}
    records = []
    mrc_codes = set(mrcs)
    for row in rows:
        code, region = row["mcode"], _code(row["regadm"])
        mrc = _mrc_code(row, mrc_codes) or ""
        lat, lon = _checked_point(draft, code, mrcs.get(mrc) or regions.get(region))
        source_name = "geonames" if lat else ""
        if not lat and code in NORTHERN_VILLAGES:
            lat, lon = NORTHERN_VILLAGES[code]
            source_name = "manual"
        if (not lat and row["mcodedesi"] in LOCAL_DESIGNATION_CODES
                and mrc in mrcs):
            # Documented fallback: a point inside the municipality's MRC.
            point = mrcs[mrc].representative_point()
            lat, lon = round(point.y, 5), round(point.x, 5)
            source_name = "mrc-centroid"
        if lat:
            stats[source_name] += 1
            # The MAMH→SDA code mapping is lossy in the north (Kativik, Eeyou Istchee):
            # trust the polygon holding the point when it lies in the same region.
            point = Point(float(lon), float(lat))
            inside = [c for c, g in mrcs.items() if g.contains(point)]
            if inside and inside[0] != mrc and mrc_regions[inside[0]] == region:
                stats["mrc-from-polygon"] += 1
                mrc = inside[0]
        records.append({"row": row, "code": code, "name": row["munnom"],
                        "designation_code": row["mcodedesi"], "region_code": region,
                        "mrc_code": mrc, "population": row["mpopul"], "latitude": lat,
                        "longitude": lon, "source": source_name})
    # Reserves and Cree, Naskapi and Inuit lands: see scripts/build_communities.py.
    communities = community_points(records, mrcs, regions, OUT / "aliases.csv")
    for record in records:
        found = communities.get(record["code"])
        if found:
            record["latitude"], record["longitude"], record["source"] = found
            kind = found[2].split("-")[0] if found[2].startswith("beside") else found[2]
            stats[f"community-{kind}"] = stats.get(f"community-{kind}", 0) + 1
    for record in records:
        lat, lon, region = record["latitude"], record["longitude"], record["region_code"]
        if lat and region in regions and not regions[region].buffer(0.02).contains(
                Point(float(lon), float(lat))):
            stats["outside-region"] += 1
            print(f"warning: {record['code']} {record['name']} point outside region {region}")
    with (OUT / "municipalities.csv").open("w", encoding="utf-8", newline="") as dst, \
            (OUT / "municipality_districts_2026.csv").open("w", encoding="utf-8",
                                                           newline="") as cross:
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(["code", "name", "designation_code", "designation", "region_code",
                         "mrc_code", "population", "latitude", "longitude", "coordinate_source",
                         "address", "postal_code", "email", "website", "phone", "mayor",
                         "district_2017", "district_2026"])
        cross_writer = csv.writer(cross, lineterminator="\n")
        cross_writer.writerow(["municipality_code", "name", "region_code", "population",
                               "districts_2017", "district_2026", "rule"])
        for record in records:
            row, code, region = record["row"], record["code"], record["region_code"]
            old_codes = [c for _name, c in DISTRICT_PART.findall(row["mcirc"])]
            new_codes = {crosswalk[c][0] for c in old_codes if c in crosswalk}
            district_2026, rule = "", "none"
            if len(old_codes) == 1 and len(new_codes) == 1:
                district_2026, rule = new_codes.pop(), crosswalk[old_codes[0]][1]
            elif len(old_codes) > 1:
                rule = "split-postal-code"  # resolved per activity from its postal code
            writer.writerow([
                code, row["munnom"], row["mcodedesi"], row["mdes"], region,
                record["mrc_code"], row["mpopul"], record["latitude"], record["longitude"],
                record["source"], row["madr1"], row["mcodpos"],
                row["mcourriel"], row["mweb"], row["mtel"], row["maire"],
                ";".join(old_codes), district_2026,
            ])
            if row["mcodedesi"] in LOCAL_DESIGNATION_CODES:
                cross_writer.writerow([code, row["munnom"], region, row["mpopul"],
                                       ";".join(old_codes), district_2026, rule])
    with (source / "postal_codes_to_district_2017.csv").open("rb") as src, \
            gzip.GzipFile(OUT / "postal_codes_2017.csv.gz", "wb", compresslevel=9,
                          mtime=0) as dst:  # no time stamp: the same sources give the same file
        dst.write(src.read())
    print("coordinates:", stats)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
