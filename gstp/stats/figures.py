"""What a figure of the comparison is: measured, entered (with its qualifier) or unknown."""
import math
from enum import StrEnum
from statistics import median

from flask_babel import format_decimal

from gstp.stats.models import Qualifier


class FigureState(StrEnum):
    """Where a figure comes from; an unknown one is shown « — », never 0."""

    MEASURED = "measured"  # counted by the platform
    ENTERED = "entered"  # typed by staff from a report, with its qualifier
    UNKNOWN = "unknown"


UNKNOWN = (None, FigureState.UNKNOWN, None)


def measured(value) -> tuple:
    """A figure the platform counted."""
    return value, FigureState.MEASURED, None


def entered(value, qualifier: Qualifier | str | None) -> tuple:
    """A figure staff entered, « exact », « about » or « at least »."""
    return value, FigureState.ENTERED, Qualifier(qualifier or Qualifier.EXACT).value


def change(base, value, approximate: bool = False) -> dict:
    """Absolute and % change from base to value; `reason` says why a % is missing.

    Nothing is computed from or to an unknown figure; `approximate` marks a change between
    figures of which one is only « about » or « at least ».
    """
    if base is None or value is None:
        return {"absolute": None, "percent": None, "reason": "missing", "approximate": False}
    absolute = value - base
    if base == 0:
        return {"absolute": absolute, "percent": None, "reason": "zero_base",
                "approximate": approximate}
    return {"absolute": absolute, "percent": round(absolute * 100 / base, 1), "reason": None,
            "approximate": approximate}


def figure_row(key, label, group, source: str, cells: list[tuple], unit: str = "") -> dict:
    """A row of the comparison: one (value, state, qualifier) cell per edition, and the
    change of each edition against the one before it in the chosen order."""
    values = [c[0] for c in cells]
    states = [FigureState(c[1]).value for c in cells]
    qualifiers = [c[2] for c in cells]
    inexact = [q not in (None, Qualifier.EXACT.value) for q in qualifiers]
    return {
        "key": key, "label": str(label), "group": str(group), "source": source, "unit": unit,
        "values": values, "states": states, "qualifiers": qualifiers,
        "changes": [None] + [change(values[i - 1], values[i], inexact[i - 1] or inexact[i])
                             for i in range(1, len(values))],
    }


def plain_number(value):
    """337.0 as 337 (an integer stays one in exports); other numbers unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def figure_text(value, qualifier: str | None = None, signed: bool = False) -> str:
    """A figure in the visitor's locale, with "~" or "+" when the report said so."""
    if value is None:
        return "—"
    # Up to 6 decimals: rates are already cut to two significant figures (0.0059).
    text = format_decimal(value, format="#,##0.######")
    if signed and value > 0:
        text = "+" + text
    if qualifier == Qualifier.APPROXIMATE:
        return "~" + text
    if qualifier == Qualifier.AT_LEAST:
        return text + "+"
    return text


def significant(value: float | None, digits: int = 2) -> float | None:
    """value with `digits` significant figures: 0.005123 → 0.0051, 27.48 → 27."""
    if not value:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def rate_base(rates_per_10k) -> int:
    """10,000 inhabitants, or 100,000 when the typical rate per 10,000 is below 1
    (« 0,27 pour 100 000 » reads better than « 0,027 pour 10 000 »)."""
    known = [r for r in rates_per_10k if r]
    return 100_000 if known and median(known) < 1 else 10_000


def scaled_rates(rows: list[dict]) -> tuple[int, list[dict]]:
    """Rates per 10,000 of each row's "values" turned to the base that reads best, with
    two significant figures; returns that base and the new rows."""
    base = rate_base(v for row in rows for v in row["values"])
    factor = base / 10_000
    return base, [{**row, "values": [None if v is None else significant(v * factor)
                                     for v in row["values"]]} for row in rows]
