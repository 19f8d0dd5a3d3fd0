"""The media log: results staff record one by one or import from a CSV, and the media
figures of each edition computed from it. Callers commit."""
import csv
import io
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from gstp.audit.services import record_audit
from gstp.editions.models import Edition
from gstp.editions.services import ensure_editions
from gstp.extensions import db
from gstp.geo.models import Region
from gstp.stats.models import MediaResult

# Columns of a media CSV (French names, as staff keep their press review).
CSV_COLUMNS = ("date", "media", "titre", "lien", "portee", "nomme_gstp", "nomme_partenaire",
               "region")
YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "faux", "false", ""}
MEDIA_KEYS = ("media_results", "media_reach", "media_naming_gstp", "media_naming_partner")


class MediaImportError(ValueError):
    """A media CSV that cannot be imported; nothing of it is kept."""


def edition_of(day: date) -> Edition:
    """The edition a result published on `day` counts for: that year's."""
    ensure_editions(day.year)
    return db.session.scalar(sa.select(Edition).filter_by(year=day.year))


def add_result(*, actor, published_on: date, outlet: str, title: str, url: str = "",
               reach: int | None = None, names_gstp: bool = False, names_partner: bool = False,
               region_code: str | None = None) -> MediaResult:
    """Record one media result in the edition of its date."""
    result = MediaResult(edition=edition_of(published_on), published_on=published_on,
                         outlet=outlet, title=title, url=url, reach=reach,
                         names_gstp=names_gstp, names_partner=names_partner,
                         region_code=region_code or None, entered_by_id=getattr(actor, "id", None))
    db.session.add(result)
    db.session.flush()
    record_audit(actor=actor, action="media_result.create", target=result,
                 details={"outlet": outlet, "date": published_on.isoformat()})
    return result


def delete_result(*, result: MediaResult, actor) -> None:
    """Remove a result logged by mistake."""
    record_audit(actor=actor, action="media_result.delete", target=result,
                 details={"outlet": result.outlet, "title": result.title})
    db.session.delete(result)
    db.session.flush()


def _flag(text: str, line: int, column: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise MediaImportError(f"ligne {line} : {column} « {text} » : oui ou non")


def _reach(text: str, line: int) -> int | None:
    cleaned = "".join(text.split()).replace("\u202f", "")
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise MediaImportError(f"ligne {line} : portée « {text} » non entière")
    return int(cleaned)


def parse_media_csv(content: bytes) -> list[dict]:
    """Rows of a media CSV (« , » or « ; »), checked; MediaImportError names the line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MediaImportError("le fichier doit être en UTF-8") from None
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"date", "media", "titre"} - set(reader.fieldnames or ())
    if missing:
        raise MediaImportError("colonnes manquantes : " + ", ".join(sorted(missing)))
    regions = set(db.session.scalars(sa.select(Region.code)))
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {col: (raw.get(col) or "").strip() for col in CSV_COLUMNS}
        try:
            published_on = date.fromisoformat(row["date"])
        except ValueError:
            raise MediaImportError(f"ligne {line} : date « {row['date']} » (AAAA-MM-JJ)") from None
        if not row["media"] or not row["titre"]:
            raise MediaImportError(f"ligne {line} : média et titre sont obligatoires")
        region = row["region"].zfill(2) if row["region"] else None
        if region and region not in regions:
            raise MediaImportError(f"ligne {line} : région « {row['region']} » inconnue")
        rows.append({"published_on": published_on, "outlet": row["media"][:200],
                     "title": row["titre"][:300], "url": row["lien"][:500],
                     "reach": _reach(row["portee"], line),
                     "names_gstp": _flag(row["nomme_gstp"], line, "nomme_gstp"),
                     "names_partner": _flag(row["nomme_partenaire"], line, "nomme_partenaire"),
                     "region_code": region})
    return rows


def import_results(*, rows: list[dict], actor) -> dict:
    """Add the rows not logged yet (same date, outlet and title); returns the counts."""
    counts = {"created": 0, "unchanged": 0}
    for row in rows:
        exists = db.session.scalar(sa.select(MediaResult.id).filter_by(
            published_on=row["published_on"], outlet=row["outlet"], title=row["title"]))
        if exists:
            counts["unchanged"] += 1
            continue
        add_result(actor=actor, **row)
        counts["created"] += 1
    return counts


def media_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> dict:
    """Results, reach and mentions per edition, only for editions with a logged result
    (an edition without any is unknown, not 0)."""
    stmt = (sa.select(MediaResult.edition_id, sa.func.count(),
                      sa.func.sum(MediaResult.reach),
                      sa.func.sum(sa.case((MediaResult.names_gstp, 1), else_=0)),
                      sa.func.sum(sa.case((MediaResult.names_partner, 1), else_=0)))
            .where(MediaResult.edition_id.in_(list(edition_ids)))
            .group_by(MediaResult.edition_id))
    if region_code:
        stmt = stmt.where(MediaResult.region_code == region_code)
    result: dict = {key: {} for key in MEDIA_KEYS}
    for edition_id, count, reach, gstp, partner in db.session.execute(stmt):
        for key, value in zip(MEDIA_KEYS, (count, reach, gstp, partner), strict=True):
            if value is not None:  # no reach known at all: unknown, not 0
                result[key][edition_id] = int(value)
    return result
