"""Derive the shipped reference files in gstp/geo/data from the Québec open data sources.

Run once when the sources change: python scripts/build_reference_data.py SOURCE_DIR
SOURCE_DIR holds MUN.csv, regions.geojson, mrc.geojson, gazetteer_draft.csv,
districts_2026.csv and mna_2026_unverified.csv (see gstp/geo/data/README.md).
"""
import csv
import json
import re
import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gstp" / "geo" / "data"
CODE_IN_PARENS = re.compile(r"\((\d+)\)\s*$")


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


def main(source: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("regions.geojson", "mrc.geojson", "districts_2026.csv",
                 "mna_2026_unverified.csv"):
        shutil.copyfile(source / name, OUT / name)
    mrc_codes = {f["properties"]["MRS_CO_MRC"]
                 for f in json.loads((source / "mrc.geojson").read_text())["features"]}
    coords = {r["code"]: (r["lat"], r["lon"])
              for r in csv.DictReader((source / "gazetteer_draft.csv").open(encoding="utf-8"))}
    with (source / "MUN.csv").open(encoding="utf-8-sig") as src, \
            (OUT / "municipalities.csv").open("w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst, lineterminator="\n")
        writer.writerow(["code", "name", "designation_code", "designation", "region_code",
                         "mrc_code", "population", "latitude", "longitude", "address",
                         "postal_code", "email", "website", "phone", "mayor", "district_2017"])
        for row in csv.DictReader(src):
            lat, lon = coords.get(row["mcode"], ("", ""))
            writer.writerow([
                row["mcode"], row["munnom"], row["mcodedesi"], row["mdes"],
                _code(row["regadm"]), _mrc_code(row, mrc_codes) or "", row["mpopul"],
                lat, lon, row["madr1"], row["mcodpos"], row["mcourriel"], row["mweb"],
                row["mtel"], row["maire"], _code(row["mcirc"]) or "",
            ])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
