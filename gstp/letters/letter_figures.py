"""Letters sent and answered, officials reached and answer rates, per level, region, party."""
import sqlalchemy as sa

from gstp.extensions import db
from gstp.geo.models import Region
from gstp.letters.models import (
    ANSWERED_STATUSES,
    DELIVERED_STATUSES,
    ElectedOfficial,
    Letter,
    LetterStatus,
)
from gstp.letters.queries import edition_letters


def _sent_answered(group_column, edition_id: int, region_code: str | None = None, *more):
    """Per group: letters delivered, answered, officials reached, officials who answered,
    letters returned.

    Two campaigns to the same MNA are two letters but one official reached; a returned
    letter counts only as returned (it reached no one).
    """
    is_sent = Letter.status.in_(sorted(DELIVERED_STATUSES))
    is_answered = Letter.status.in_(sorted(ANSWERED_STATUSES))
    sent = sa.func.sum(sa.case((is_sent, 1), else_=0))
    answered = sa.func.sum(sa.case((is_answered, 1), else_=0))
    reached = sa.func.count(sa.distinct(sa.case((is_sent, Letter.official_id))))
    responding = sa.func.count(sa.distinct(sa.case((is_answered, Letter.official_id))))
    returned = sa.func.sum(sa.case((Letter.status == LetterStatus.BOUNCED, 1), else_=0))
    query = (edition_letters(edition_id, region_code)
             .with_only_columns(group_column, *more, sent, answered, reached, responding,
                                returned)
             .group_by(group_column, *more))
    return db.session.execute(query).all()


def _figures(sent, answered, reached, responding, returned) -> dict[str, int]:
    return {"sent": int(sent or 0), "answered": int(answered or 0),
            "officials": int(reached or 0), "officials_answered": int(responding or 0),
            "returned": int(returned or 0)}


def letter_totals(*, edition_id: int, region_code: str | None = None) -> dict[str, dict[str, int]]:
    """Per official level: letters sent and answered (answered or later), officials reached
    and officials who answered, for the statistics."""
    return {level.value: _figures(*counts)
            for level, *counts in _sent_answered(ElectedOfficial.level, edition_id, region_code)}


def _coverage_rows(rows, label=lambda key: key) -> list[dict]:
    result = []
    for key, *counts in rows:
        figures = _figures(*counts)
        reached = figures["officials"]
        result.append({"key": key, "label": label(key), **figures,
                       "rate": round(100 * figures["officials_answered"] / reached, 1)
                       if reached else 0.0})
    return sorted(result, key=lambda row: (row["label"] or ""))


def coverage(edition_id: int) -> dict[str, list[dict]]:
    """Letters sent and answered, officials reached and answer rate (officials who answered
    over officials reached) by level, region, party, and region and level together."""
    names = dict(db.session.execute(sa.select(Region.code, Region.name)).all())
    return {
        "level": _coverage_rows(_sent_answered(ElectedOfficial.level, edition_id),
                                lambda k: k.value if k else ""),
        "region": _coverage_rows(_sent_answered(ElectedOfficial.region_code, edition_id),
                                 lambda k: names.get(k, k or "—")),
        "party": _coverage_rows(_sent_answered(ElectedOfficial.party, edition_id),
                                lambda k: k or "—"),
        "region_level": _coverage_rows(
            ((f"{region or ''}:{level.value}", *counts) for region, level, *counts in
             _sent_answered(ElectedOfficial.region_code, edition_id, None,
                            ElectedOfficial.level)),
            lambda k: names.get(k.split(":")[0], "—")),
    }
