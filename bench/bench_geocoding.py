"""Offline geocoding: throughput and accuracy on a labelled set of Québec addresses.

`make bench ONLY=geocoding`. Baseline in the same run: an exact, case-insensitive
lookup of each comma-separated part against the official municipality names.
`python -m bench.bench_geocoding --regenerate` rebuilds bench/data/addresses.csv
(seeded) from the shipped reference data plus the hand-written hard cases below.
"""
import csv
import random
import sys
import time
import unicodedata
from pathlib import Path

from gstp.geo import gazetteer as gazetteer_module
from gstp.geo.reference import DATA_DIR, LOCAL_DESIGNATION_CODES

DATA = Path(__file__).resolve().parent / "data" / "addresses.csv"
STREETS = ["rue Principale", "rue Saint-Jean", "boulevard Saint-Joseph", "avenue de l'Église",
           "chemin du Lac", "rang Saint-Pierre", "route 132", "rue Notre-Dame Ouest",
           "rue Sainte-Anne", "montée Saint-François", "rue du Couvent", "place de la Gare"]
# Hard cases written by hand: (address, region, municipality code).
HARD_CASES = [
    ("350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2", "03", "23027"),
    ("1234 boul. Saint-Laurent, Montréal, QC H2X 2T1", "06", "66023"),
    ("Bibliothèque, 25 rue Laurier, Hull", "07", "81017"),
    ("CPE, 12 rue Racine, Chicoutimi (Québec)", "02", "94068"),
    ("Maison de la famille, Sainte-Foy", "03", "23027"),
    ("Centre communautaire, Lachine, Montréal", "06", "66023"),
    ("Salle municipale, Kuujjuaq, QC J0M 1C0", "10", "99095"),
    ("École Jimmy Sandy Memorial, Kawawachikamach", "10", "99065"),
    ("Centre de santé, Chisasibi", "10", "99055"),
    ("Aréna, Blanc-Sablon", "09", "98005"),
    ("Iles de la Madeleine", "11", "01023"),
    ("Ville de Gatineau", "07", "81017"),
    ("Municipalité de Lac-Beauport", "03", "22040"),
    ("MONTREAL", "06", "66023"),
    ("quebec city", "03", "23027"),
    ("Sainte-Jeanne-d'Arc G0W 2G0", "02", "92015"),
    ("Sainte-Jeanne-d'Arc-de-la-Mitis", "01", "09020"),
    ("Trois Rivieres", "04", "37067"),
    ("Sherbroke", "05", "43027"),
    ("st-jean-sur-richelieu", "16", "56083"),
    ("10 rue King Ouest, Sherbrooke J1H 1P1", "05", "43027"),
    ("Cap-de-la-Madeleine", "04", "37067"),
    ("Chomedey, Laval", "13", "65005"),
    ("Saint-Hubert, Longueuil", "16", "58227"),
    ("Lévis (secteur Saint-Romuald)", "12", "25213"),
    ("H2X 2T1", "06", "66023"),
    # First Nations communities (reserves, usual names, a community without a reserve)
    ("Centre de santé, Wendake", "03", "23802"),
    ("École, Mashteuiatsh (Québec)", "02", "91802"),
    ("Maison des jeunes, Opitciwan", "04", "90804"),
    ("CPE, Manouane", "14", "62802"),
    ("Salle communautaire, Uashat mak Mani-utenam", "09", "97802"),
    ("Centre de la petite enfance, Ekuanitshit", "09", "98808"),
    ("Bibliothèque, Kanesatake", "15", "72032"),
    ("Lac-Simon J0Y 3M0", "08", "89804"),
    ("Kahnawake, QC", "16", "67802"),
    ("Listuguj", "11", "06804"),
]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _variant(name: str, rng: random.Random) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return name.replace("Saint-", "St-").replace("Sainte-", "Ste-")
    if choice == 1:
        return _fold(name)
    if choice == 2:
        return name.upper()
    if choice == 3:
        return name.replace("-", " ").lower()
    if choice == 4:
        return f"Ville de {name}"
    if choice == 5 and len(name) >= 9:  # a typo: two letters swapped
        i = rng.randrange(3, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name.replace("Saint-", "St. ").replace("Sainte-", "Ste. ")


def regenerate(seed: int = 2026) -> None:
    """Write the labelled set: 20 municipalities per region (all when fewer) + hard cases."""
    rng = random.Random(seed)
    by_region: dict[str, list] = {}
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        local = {r["code"] for r in csv.DictReader(handle)
                 if r["designation_code"] in LOCAL_DESIGNATION_CODES}
    for muni in gazetteer_module.gazetteer().municipalities.values():
        if muni.code in local:  # reserves: in the hard cases only
            by_region.setdefault(muni.region_code, []).append(muni)
    rows = [("address", "region_code", "municipality_code", "kind")]
    for region in sorted(by_region):
        for muni in rng.sample(sorted(by_region[region], key=lambda m: m.code),
                               min(20, len(by_region[region]))):
            form = rng.randrange(4)
            number, street = rng.randrange(1, 3000), rng.choice(STREETS)
            postal = f"{muni.postal_code[:3]} {muni.postal_code[3:]}"
            if form == 0:
                address, kind = f"{number}, {street}, {muni.name} (Québec) {postal}", "street"
            elif form == 1:
                address, kind = f"{number} {street}, {_variant(muni.name, rng)}", "variant"
            elif form == 2:
                address, kind = postal, "postal_code"
            else:
                address, kind = _variant(muni.name, rng), "name"
            rows.append((address, region, muni.code, kind))
    rows += [(a, r, c, "hard") for a, r, c in HARD_CASES]
    DATA.parent.mkdir(parents=True, exist_ok=True)
    with DATA.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _baseline(gaz):
    names = {m.name.lower(): m for m in gaz.by_population[::-1]}

    def lookup(text: str):
        for part in reversed(text.split(",")):
            found = names.get(part.replace("(Québec)", "").strip().lower())
            if found:
                return found.region_code, found.code
        return None, None
    return lookup


def _score(rows, lookup) -> tuple[float, float, float]:
    started = time.perf_counter()
    answers = [lookup(row["address"]) for row in rows]
    elapsed = time.perf_counter() - started
    region = sum(a[0] == r["region_code"] for a, r in zip(answers, rows, strict=True))
    muni = sum(a[1] == r["municipality_code"] for a, r in zip(answers, rows, strict=True))
    return len(rows) / elapsed, region / len(rows), muni / len(rows)


def main() -> None:
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    started = time.perf_counter()
    gaz = gazetteer_module.gazetteer()
    gaz.postal_districts_2017  # noqa: B018 - load the lazy postal index before timing
    print(f"addresses: {len(rows)} in {len({r['region_code'] for r in rows})} regions; "
          f"indexes built in {time.perf_counter() - started:.2f} s")

    def ours(text: str):
        result = gaz._geocode(text, "")  # uncached: every address is really resolved
        return (result.region_code, result.municipality_code) if result else (None, None)

    for label, lookup in (("baseline exact name", _baseline(gaz)), ("gazetteer", ours)):
        rate, region, muni = _score(rows, lookup)
        print(f"{label:20s} {rate:10.0f} addresses/s   region {region:6.1%}   "
              f"municipality {muni:6.1%}")
    misses = [r["address"] for r in rows if ours(r["address"])[0] != r["region_code"]]
    print("region misses:", misses[:10])


if __name__ == "__main__":
    if "--regenerate" in sys.argv:
        regenerate()
    main()
