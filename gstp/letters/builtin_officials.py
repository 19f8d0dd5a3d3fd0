"""The directory shipped with the platform: mayors and councillors (MAMH), MNAs, as import rows."""
import csv
from pathlib import Path

from gstp.geo.reference import DATA_DIR, LOCAL_DESIGNATION_CODES
from gstp.i18n import of_name

NATIONAL_ASSEMBLY_ADDRESS = "Assemblée nationale du Québec\n1045, rue des Parlementaires\n" \
                            "Québec (Québec)  G1A 1A3"
MAMH_SOURCE = "MAMH, Répertoire des municipalités"
COUNCILLORS_FILE = Path(__file__).parent / "data" / "councillors.csv"


def _postal_code(raw: str) -> str:
    raw = raw.replace(" ", "").upper()
    return f"{raw[:3]} {raw[3:]}" if len(raw) == 6 else raw


def _local_municipalities() -> list[dict]:
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle)
                if r["designation_code"] in LOCAL_DESIGNATION_CODES]


def _town_hall(r: dict) -> str:
    return "\n".join(filter(None, [
        f"Municipalité {of_name(r['name'])}", r["address"],
        f"{r['name']} (Québec)  {_postal_code(r['postal_code'])}".rstrip()]))


def builtin_mayor_rows() -> list[dict]:
    """Mayors of the 1,122 local municipalities of the shipped MAMH directory."""
    return [{"level": "municipal", "seat_code": r["code"], "full_name": r["mayor"],
             "email": r["email"], "phone": r["phone"], "postal_address": _town_hall(r),
             "verified": "non", "source": MAMH_SOURCE}
            for r in _local_municipalities()]


def builtin_councillor_rows() -> list[dict]:
    """Councillors of the local municipalities (same directory), written to at the town hall."""
    town_halls = {r["code"]: _town_hall(r) for r in _local_municipalities()}
    with COUNCILLORS_FILE.open(encoding="utf-8") as handle:
        return [{"level": "municipal", "seat_code": f"{r['municipality_code']}-{r['seat']}",
                 "full_name": r["full_name"], "verified": "non", "source": MAMH_SOURCE,
                 "postal_address": town_halls[r["municipality_code"]]}
                for r in csv.DictReader(handle)]


def builtin_mna_rows() -> list[dict]:
    """Winners of the 2026 general election, typed from a pre-recount snapshot (unverified)."""
    with (DATA_DIR / "mna_2026_unverified.csv").open(encoding="utf-8") as handle:
        return [
            {"level": "provincial", "seat_code": r["CO_CEP"],
             "full_name": r["winner"], "party": r["party"],
             "postal_address": NATIONAL_ASSEMBLY_ADDRESS, "verified": "non",
             "source": "Résultats du 5 octobre 2026 (non vérifiés)"}
            for r in csv.DictReader(handle)
        ]
