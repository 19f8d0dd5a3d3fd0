"""Load the shipped Québec reference data (regions, MRC, districts, municipalities)."""
import csv
import json
from pathlib import Path

from gstp.extensions import db
from gstp.geo.models import District, Mrc, Municipality, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
# MAMH designation codes of local municipalities (villes, municipalités, paroisses,
# cantons, villages, villages nordiques, cris and naskapi): 1,122 in the directory.
LOCAL_DESIGNATION_CODES = frozenset({"01", "02", "04", "05", "06", "07", "08", "09", "10"})
# Places an activity can be in: local municipalities and Indian reserves (20). Cree,
# Naskapi and Inuit lands (21-23) share their village's name and point: the village stands.
INHABITED_DESIGNATION_CODES = LOCAL_DESIGNATION_CODES | {"20"}
LAND_DESIGNATION_CODES = frozenset({"21", "22", "23"})


def read_regions() -> dict[str, str]:
    """Region code → name from the SDA polygons (Côte-Nord has two features)."""
    features = json.loads((DATA_DIR / "regions.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["code"]: f["properties"]["name"] for f in features}


def read_mrcs() -> list[dict]:
    """MRC rows from the SDA polygons."""
    features = json.loads((DATA_DIR / "mrc.geojson").read_text(encoding="utf-8"))["features"]
    return [
        {"code": p["MRS_CO_MRC"], "name": p["MRS_NM_MRC"], "region_code": p["MRS_CO_REG"]}
        for p in (f["properties"] for f in features)
    ]


def read_districts(region_codes_by_name: dict[str, str]) -> list[dict]:
    """The 127 districts of the 2026 map (file has no header: name, code, slug, region)."""
    with (DATA_DIR / "districts_2026.csv").open(encoding="utf-8") as handle:
        return [
            {"name": name, "code": code, "slug": slug,
             "region_code": region_codes_by_name.get(region)}
            for name, code, slug, region in csv.reader(handle)
        ]


def read_municipalities() -> list[dict]:
    """Every row of the MAMH directory, with coordinates where known."""
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "code": r["code"], "name": r["name"], "designation": r["designation"],
            "region_code": r["region_code"], "mrc_code": r["mrc_code"] or None,
            "population": int(r["population"]) if r["population"] else None,
            "latitude": float(r["latitude"]) if r["latitude"] else None,
            "longitude": float(r["longitude"]) if r["longitude"] else None,
            "address": r["address"] or None, "postal_code": r["postal_code"] or None,
            "email": r["email"] or None, "website": r["website"] or None,
            "phone": r["phone"] or None, "designation_code": r["designation_code"],
            # Municipality → 2026 district crosswalk (empty for cities split over several).
            "district_code": r["district_2026"] or None,
        }
        for r in rows
    ]


def _upsert(model, rows: list[dict]) -> int:
    """Insert new rows and refresh existing ones, keyed by code; returns distinct codes."""
    rows = list({row["code"]: row for row in rows}.values())  # an MRC may have several polygons
    existing = {obj.code: obj for obj in db.session.scalars(db.select(model))}
    columns = set(model.__table__.columns.keys())
    for row in rows:
        values = {k: v for k, v in row.items() if k in columns}
        obj = existing.get(row["code"])
        if obj is None:
            db.session.add(model(**values))
        else:
            for key, value in values.items():
                setattr(obj, key, value)
    db.session.flush()
    return len(rows)


def load_reference_data() -> dict[str, int]:
    """Upsert all reference tables; safe to run again after a data update."""
    regions = read_regions()
    counts = {"regions": _upsert(Region, [{"code": c, "name": n} for c, n in regions.items()])}
    counts["mrc"] = _upsert(Mrc, read_mrcs())
    by_name = {name: code for code, name in regions.items()}
    counts["districts"] = _upsert(District, read_districts(by_name))
    counts["municipalities"] = _upsert(Municipality, read_municipalities())
    return counts
