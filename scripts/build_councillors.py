"""Derive gstp/letters/data/councillors.csv from the MAMH directory (MUN.csv, CC BY 4.0).

Usage: python scripts/build_councillors.py PATH/TO/MUN.csv
Keeps the councillors (columns con1 … con75) of the local municipalities, one a row:
municipality code, seat number (the column's number), name.
"""
import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gstp" / "letters" / "data" / "councillors.csv"
LOCAL_DESIGNATION_CODES = {"01", "02", "04", "05", "06", "07", "08", "09", "10"}


def main(source: str) -> None:
    with open(source, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["mcodedesi"] in LOCAL_DESIGNATION_CODES]
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["municipality_code", "seat", "full_name"])
        for row in sorted(rows, key=lambda r: r["mcode"]):
            for seat in range(1, 76):
                name = " ".join((row.get(f"con{seat}") or "").split())
                if name:
                    writer.writerow([row["mcode"], seat, name])


if __name__ == "__main__":
    main(sys.argv[1])
