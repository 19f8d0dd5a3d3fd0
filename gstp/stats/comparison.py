"""Year-over-year comparison: measured, entered and unknown figures side by side, with changes."""
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from gstp.activities.models import Audience, Category, Format
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.stats import frozen, queries
from gstp.stats.computed_metrics import COMPUTED_KEYS, COMPUTED_METRICS, SPARSE_KEYS
from gstp.stats.figures import UNKNOWN, entered, figure_row, measured, scaled_rates
from gstp.stats.models import MetricKind
from gstp.stats.survey import survey_rows

DIMENSION_TITLES = {"region": _l("Activités par région"), "category": _l("Activités par catégorie"),
                    "format": _l("Activités par format"), "audience": _l("Activités par public")}
CATEGORY_LABELS = {
    Category.CHILD_DEVELOPMENT: _l("Développement global"),
    Category.EARLY_LITERACY: _l("Éveil à la lecture et à l'écriture"),
    Category.SCHOOL_TRANSITION: _l("Transition scolaire"),
    Category.INTERCULTURAL: _l("Interculturel"),
    Category.RIGHTS_ADVOCACY: _l("Droits et plaidoyer"),
    Category.CITIZENSHIP: _l("Éducation citoyenne"),
    Category.CULTURE: _l("Accès à la culture"),
    Category.PROFESSIONAL_TRAINING: _l("Conférences et formations"),
    Category.COMMUNITY_EVENT: _l("Événement communautaire"),
}
FORMAT_LABELS = {Format.IN_PERSON: _l("En personne"), Format.VIRTUAL: _l("Virtuel"),
                 Format.HYBRID: _l("Hybride")}
AUDIENCE_LABELS = {
    Audience.FAMILIES: _l("Familles et enfants"), Audience.FUTURE_PARENTS: _l("Futurs parents"),
    Audience.PRACTITIONERS: _l("Intervenants"), Audience.ELECTED_OFFICIALS: _l("Élus"),
    Audience.GENERAL_PUBLIC: _l("Grand public"),
}
# Figures drawn on the line chart across editions.
KEY_METRICS = ("activities", "organizations", "municipalities", "attendance_children")


# Computed figures that need an earlier edition on the platform to be known.
HISTORY_KEYS = frozenset({"organizations_new", "organizations_returning"})


def _measured_cell(edition, per_edition: dict, first_platform_year: int | None,
                   key: str = "") -> tuple:
    """The platform's count for an edition run on it; unknown for one before it."""
    if key in SPARSE_KEYS:
        return measured(per_edition[edition.id]) if edition.id in per_edition else UNKNOWN
    if not edition.on_platform:
        return UNKNOWN
    if key in HISTORY_KEYS and (first_platform_year is None
                                or edition.year <= first_platform_year):
        return UNKNOWN  # nothing earlier to tell new organizations from returning ones
    return measured(per_edition.get(edition.id, 0))


def _computed_rows(editions, totals, stand_ins, first_platform_year) -> list[dict]:
    """Computed figures; where unknown, the figure staff entered in their place if any."""
    rows = []
    for key, label, group in COMPUTED_METRICS:
        cells = []
        for edition in editions:
            cell = _measured_cell(edition, totals.get(key, {}), first_platform_year, key)
            value = stand_ins.get(key, {}).get(edition.id)
            if cell[0] is None and value is not None:
                cell = entered(value.value, value.qualifier)
            cells.append(cell)
        rows.append(figure_row(key, label, group, "computed", cells))
    return rows


def _split_entered(entered_values) -> tuple[list, dict]:
    """Entered figures of their own, and those standing in for a computed figure
    ({computed key: {edition_id: value}}), which fill that figure's row instead."""
    own, stand_ins = [], {}
    for definition, value in entered_values:
        if definition.stands_for in COMPUTED_KEYS and not value.breakdown:
            stand_ins.setdefault(definition.stands_for, {})[value.edition_id] = value
        else:
            own.append((definition, value))
    return own, stand_ins


def _entered_rows(editions, own, locale) -> list[dict]:
    """One row per definition and breakdown; editions without a value show « — »."""
    position = {e.id: i for i, e in enumerate(editions)}
    rows: dict[tuple, dict] = {}
    for definition, value in own:
        key = (definition.key, value.breakdown)
        if key not in rows:
            label = definition.label(locale)
            if value.breakdown:
                label = f"{label} — {value.breakdown}"
            unit = "%" if definition.kind is MetricKind.PERCENTAGE else definition.unit
            rows[key] = {"key": definition.key, "label": label, "unit": unit,
                         "cells": [UNKNOWN] * len(editions)}
        rows[key]["cells"][position[value.edition_id]] = entered(value.value, value.qualifier)
    group = _l("Saisi par l'équipe")
    return [figure_row(r["key"], r["label"], group, "entered", r["cells"], r["unit"])
            for r in rows.values()]


def _dimension_label(dimension: str, key, region_names: dict) -> str:
    if key is None:
        return str(_l("Sans région (virtuel ou non localisé)"))
    labels = {"category": CATEGORY_LABELS, "format": FORMAT_LABELS, "audience": AUDIENCE_LABELS}
    if dimension == "region":
        return region_names.get(key, key)
    for member, label in labels[dimension].items():
        if member.value == key:
            return str(label)
    return key


def _dimension_tables(editions, counts, region_names) -> list[dict]:
    tables = []
    for dimension, by_key in counts.items():
        rows = [figure_row(key, _dimension_label(dimension, key, region_names), dimension,
                           "computed", [_measured_cell(e, per_edition, None) for e in editions])
                for key, per_edition in by_key.items()]
        rows.sort(key=lambda r: (r["key"] is None, r["key"] or ""))
        tables.append({"dimension": dimension, "title": str(DIMENSION_TITLES[dimension]),
                       "rows": rows})
    return tables


def default_edition_ids() -> list[int]:
    """The two latest real editions with data, oldest first: never the demo one."""
    real = [e for e in queries.editions_with_data() if not e.is_demo]
    return [e.id for e in reversed(real[:2])]


def build_comparison(*, edition_ids: Sequence[int], region_code: str | None = None,
                     locale: str = "fr") -> dict:
    """Everything the comparison page, its charts and its exports show."""
    editions = list(db.session.scalars(
        db.select(Edition).where(Edition.id.in_(list(edition_ids))).order_by(Edition.year)))
    ids = [e.id for e in editions]
    regions = queries.regions_with_population()
    region_names = {r["code"]: r["name"] for r in regions}
    figures = frozen.comparison_figures(ids, region_code)
    own, stand_ins = _split_entered(queries.entered_values(ids, region_code))
    rows = (_computed_rows(editions, figures["totals"], stand_ins,
                           queries.first_platform_year())
            + _entered_rows(editions, own, locale)
            + survey_rows(editions, region_code, locale))
    per_10k = figures["per_10k"]
    rate_base, density = scaled_rates([
        {"code": r["code"], "name": r["name"], "population": r["population"],
         "values": [_measured_cell(e, per_10k.get(r["code"], {}), None)[0] for e in editions]}
        for r in regions if not region_code or r["code"] == region_code
    ])
    return {"editions": editions, "region_code": region_code,
            "region_name": region_names.get(region_code) if region_code else None,
            "rows": rows,
            "tables": _dimension_tables(editions, figures["breakdowns"],
                                        region_names),
            "density": density, "rate_base": rate_base}


def chart_data(comparison: dict) -> dict:
    """The JSON the page's scripts draw from (charts and choropleth)."""
    editions = comparison["editions"]
    by_key = {row["key"]: row for row in comparison["rows"] if row["source"] == "computed"}
    region_table = next(t for t in comparison["tables"] if t["dimension"] == "region")
    regions = [r for r in region_table["rows"] if r["key"] is not None]
    return {
        "editions": [e.short_label for e in editions],
        "line": [{"label": by_key[k]["label"], "data": by_key[k]["values"]} for k in KEY_METRICS],
        "bars": {"labels": [r["label"] for r in regions],
                 "datasets": [{"label": e.short_label, "data": [r["values"][i] for r in regions]}
                              for i, e in enumerate(editions)]},
        "density": {
            "edition": editions[-1].short_label if editions else "",
            "base": comparison["rate_base"],
            "values": {d["code"]: d["values"][-1] if d["values"] else 0
                       for d in comparison["density"]},
        },
    }

