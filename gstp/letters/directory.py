"""Directory of elected officials: CSV import with a report of what changed.

CSV format (UTF-8, header row, comma separated):

    level,seat_code,civility,title,full_name,party,email,postal_address,phone,salutation,
    verified,source

- level: municipal, provincial or federal;
- seat_code: municipality code (mayor), municipality code, hyphen and seat number
  (councillor, e.g. 34025-3), electoral district code (provincial) or federal riding
  code; with the level it identifies the seat (natural key);
- civility: madame, monsieur (also Mme, M.) or empty; empty, a civility is proposed from
  the given name and marked to be checked (title and salutation follow from the civility);
- full_name empty or "Poste vacant": the seat is vacant (its official is deactivated);
- verified: oui/non (also 1/0, true/false); an unverified row never overwrites an
  official staff already verified;
- office_address: an MNA's riding office (their postal_address is the Assembly's);
- civility_guessed: oui when the civility was proposed from the given name and is still
  to be checked (an export says so, so that importing it back confirms nothing);
- a quote before a cell starting with =, +, - or @ (how exports guard against formulas)
  is not part of the value;
- every other column is optional. The region comes from the municipality or district.

Fields staff corrected are never overwritten: a different file value becomes a conflict
(file value against staff value) that staff resolve on the conflicts page.

A file is the whole list for each level it contains: officials of that level whose seat
is not in the file are deactivated (unless deactivate_missing is false).
"""
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from gstp.audit.services import record_audit
from gstp.exports import unquoted_cell
from gstp.extensions import db
from gstp.geo.models import District, Municipality
from gstp.letters.civility import propose_civility
from gstp.letters.conflicts import keep_staff_values
from gstp.letters.models import Civility, ElectedOfficial, OfficialLevel, OfficialRole
from gstp.letters.sources import note_sources
from gstp.uploads import ImportTarget

CSV_COLUMNS = ("level", "seat_code", "civility", "title", "full_name", "party", "email",
               "postal_address", "office_address", "phone", "salutation", "verified", "source",
               "civility_guessed")
UPDATABLE = ("civility", "civility_guessed", "title", "full_name", "party", "email",
             "postal_address", "office_address", "phone", "salutation", "verified", "source",
             "active")
CIVILITY_SPELLINGS = {"madame": Civility.MADAME, "mme": Civility.MADAME, "mrs": Civility.MADAME,
                      "ms": Civility.MADAME, "monsieur": Civility.MONSIEUR,
                      "m": Civility.MONSIEUR, "mr": Civility.MONSIEUR, "": ""}
VACANT = "poste vacant"


class OfficialsFileError(ValueError):
    """A row of the file cannot be imported (message says which and why)."""


@dataclass
class ImportReport:
    """What an import did, seat by seat."""

    added: list[str] = field(default_factory=list)
    updated: dict[str, dict[str, tuple]] = field(default_factory=dict)  # seat → field → (old, new)
    unchanged: int = 0
    protected: list[str] = field(default_factory=list)  # verified, kept against unverified rows
    # seat → field → (staff value, file value): staff corrections the file disagrees with.
    conflicts: dict[str, dict[str, tuple]] = field(default_factory=dict)
    deactivated: list[str] = field(default_factory=list)
    vacant: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # seat → official's name, for pages

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": self.unchanged, "protected": len(self.protected),
                "conflicts": len(self.conflicts),
                "deactivated": len(self.deactivated), "vacant": len(self.vacant)}


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"oui", "1", "true", "yes", "vrai", "o"}


def read_csv(text: str) -> list[dict]:
    """Rows of an import file; a missing required column is an error."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"level", "seat_code", "full_name"} - set(reader.fieldnames or ())
    if missing:
        raise OfficialsFileError(f"Colonnes manquantes : {', '.join(sorted(missing))}")
    # An exported file comes back as it went out: '+1514… is the phone number +1514….
    return [{key: unquoted_cell(value) if isinstance(value, str) else value
             for key, value in row.items()} for row in reader]


def read_csv_file(path: Path) -> list[dict]:
    return read_csv(path.read_text(encoding="utf-8"))


@dataclass
class Places:
    """Region of every municipality and district, read once per import (not once per row)."""

    municipalities: dict[str, str]
    districts: dict[str, str]

    @classmethod
    def load(cls) -> "Places":
        return cls(dict(db.session.execute(db.select(Municipality.code,
                                                     Municipality.region_code)).all()),
                   dict(db.session.execute(db.select(District.code,
                                                     District.region_code)).all()))


def _territory(level: OfficialLevel, seat: str, line: int, places: Places) -> dict:
    if level is OfficialLevel.MUNICIPAL:
        code, councillor, number = seat.partition("-")
        if code not in places.municipalities or (
                councillor and not (number.isascii() and number.isdigit())):
            raise OfficialsFileError(f"Ligne {line} : municipalité {seat} inconnue.")
        return {"municipality_code": code, "district_code": None,
                "region_code": places.municipalities[code],
                "role": OfficialRole.COUNCILLOR if councillor else OfficialRole.MAYOR}
    if level is OfficialLevel.PROVINCIAL:
        if seat not in places.districts:
            raise OfficialsFileError(f"Ligne {line} : circonscription {seat} inconnue.")
        return {"municipality_code": None, "district_code": seat,
                "region_code": places.districts[seat], "role": OfficialRole.MEMBER}
    return {"municipality_code": None, "district_code": None, "region_code": None,
            "role": OfficialRole.MEMBER}


def _civility(row: dict, name: str, line: int) -> dict:
    """civility and civility_guessed: the file's value, else one proposed from the name."""
    raw = (row.get("civility") or "").strip().lower().rstrip(".")
    if raw not in CIVILITY_SPELLINGS:
        raise OfficialsFileError(f"Ligne {line} : civilité « {row.get('civility')} » inconnue "
                                 "(madame, monsieur ou vide).")
    if civility := CIVILITY_SPELLINGS[raw]:
        return {"civility": str(civility), "civility_guessed": _truthy(row.get("civility_guessed"))}
    proposed = propose_civility(name)
    return {"civility": proposed, "civility_guessed": bool(proposed)}


def export_row(official: ElectedOfficial) -> list[str]:
    """An official as a row of the import format (CSV_COLUMNS order)."""
    values = {name: getattr(official, name) or "" for name in CSV_COLUMNS if name != "level"}
    values |= {"level": official.level.value, "verified": "oui" if official.verified else "non",
               "civility_guessed": "oui" if official.civility_guessed and official.civility
               else "non"}
    return [values[name] for name in CSV_COLUMNS]


def _values(row: dict, line: int, places: Places) -> tuple[OfficialLevel, str, dict] | None:
    try:
        level = OfficialLevel((row.get("level") or "").strip().lower())
    except ValueError:
        raise OfficialsFileError(f"Ligne {line} : niveau « {row.get('level')} » inconnu.") from None
    seat = (row.get("seat_code") or "").strip()
    if not seat:
        raise OfficialsFileError(f"Ligne {line} : code du siège manquant.")
    name = " ".join((row.get("full_name") or "").split())
    if not name or name.lower() == VACANT:
        return level, seat, {}
    values = _civility(row, name, line) | {
        "title": (row.get("title") or "").strip(), "full_name": name,
        "party": (row.get("party") or "").strip(),
        "email": (row.get("email") or "").strip().lower() or None,
        "postal_address": (row.get("postal_address") or "").strip(),
        "office_address": (row.get("office_address") or "").strip(),
        "phone": (row.get("phone") or "").strip() or None,
        "salutation": (row.get("salutation") or "").strip(),
        "verified": _truthy(row.get("verified")),
        "source": (row.get("source") or "").strip() or "import CSV", "active": True,
    }
    return level, seat, values | _territory(level, seat, line, places)


def _update(official: ElectedOfficial, values: dict, report: ImportReport, seat: str) -> None:
    """Apply one file row to an existing official, keeping what staff set or confirmed."""
    from_file = values["civility"] and not values["civility_guessed"]
    if not from_file and official.civility and not official.civility_guessed:
        # A confirmed civility is never replaced by a guess or by an empty cell.
        values |= {"civility": official.civility, "civility_guessed": False}
    if conflicts := keep_staff_values(official, values, values["source"]):
        report.conflicts[seat] = conflicts
    if "civility" not in values:
        values.pop("civility_guessed")
    if official.verified and not values["verified"]:
        report.protected.append(seat)
        return
    changes = {name: (getattr(official, name), values[name]) for name in UPDATABLE
               if name in values and getattr(official, name) != values[name]}
    for name, (_old, new) in changes.items():
        setattr(official, name, new)
    note_sources(official, values, values["source"])
    if changes:
        report.updated[seat] = changes
    else:
        report.unchanged += 1


def import_officials(*, rows: list[dict], levels: set[OfficialLevel] | None = None,
                     deactivate_missing: bool = True) -> ImportReport:
    """Upsert officials on (level, seat_code) and report added, updated, deactivated seats."""
    report = ImportReport()
    existing = {(o.level, o.seat_code): o for o in db.session.scalars(db.select(ElectedOfficial))}
    seen: set[tuple] = set()
    levels_in_file: set[OfficialLevel] = set()
    places = Places.load()
    new: list[ElectedOfficial] = []
    for line, row in enumerate(rows, start=2):
        level, seat, values = _values(row, line, places)
        if levels and level not in levels:
            continue
        levels_in_file.add(level)
        key = (level, seat)
        if not values:
            report.vacant.append(f"{level.value}:{seat}")
            continue
        seen.add(key)
        report.names[f"{level.value}:{seat}"] = values["full_name"]
        official = existing.get(key)
        if official is None:
            # Kept out of the session, inserted together below (see _insert_new).
            official = ElectedOfficial(level=level, seat_code=seat, **values)
            note_sources(official, values, values["source"])
            existing[key] = official
            new.append(official)
            report.added.append(f"{level.value}:{seat}")
            continue
        _update(official, values, report, f"{level.value}:{seat}")
    if deactivate_missing:
        for key, official in existing.items():
            if key[0] in (levels or levels_in_file) and key not in seen and official.active:
                official.active = False
                report.deactivated.append(f"{key[0].value}:{key[1]}")
                report.names[f"{key[0].value}:{key[1]}"] = official.full_name
    db.session.flush()
    _insert_new(new)
    return report


def _insert_new(officials: list[ElectedOfficial]) -> None:
    """Insert new officials in one executemany: the ORM reading back every new id took
    most of an 8,000-row import, and nothing reads the new objects afterwards."""
    if not officials:
        return
    columns = {attribute.key for attribute in sa.inspect(ElectedOfficial).column_attrs}
    db.session.execute(sa.insert(ElectedOfficial), [
        {name: value for name, value in vars(official).items() if name in columns}
        for official in officials])


def import_upload(*, text: str, filename: str, keep_missing: bool, actor,
                  journal: bool) -> ImportReport:
    """Import an uploaded file; journal it with its counts when staff confirmed it."""
    report = import_officials(rows=read_csv(text), deactivate_missing=not keep_missing)
    if journal:
        record_audit(actor=actor, action="officials.imported",
                     target=ImportTarget("elected_official"),
                     details={"file": filename, **report.summary()})
    return report
