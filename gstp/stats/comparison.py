"""Year-over-year comparison: computed and entered figures side by side, with changes."""
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from gstp.activities.models import Audience, Category, Format
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.stats import queries
from gstp.stats.models import MetricKind

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


def change(base, value) -> dict:
    """Absolute and % change from base to value; `reason` says why a % is missing."""
    if base is None or value is None:
        return {"absolute": None, "percent": None, "reason": "missing"}
    absolute = value - base
    if base == 0:
        return {"absolute": absolute, "percent": None, "reason": "zero_base"}
    return {"absolute": absolute, "percent": round(absolute * 100 / base, 1), "reason": None}


def _row(key, label, group, source, values, unit="", qualifiers=None) -> dict:
    qualifiers = qualifiers or [None] * len(values)
    return {
        "key": key, "label": str(label), "group": str(group), "source": source, "unit": unit,
        "values": values, "qualifiers": qualifiers,
        # Each edition against the one before it in the chosen order.
        "changes": [None] + [change(values[i - 1], values[i]) for i in range(1, len(values))],
    }


def _computed_rows(editions, totals) -> list[dict]:
    return [_row(key, label, group, "computed",
                 [totals.get(key, {}).get(e.id, 0) for e in editions])
            for key, label, group in queries.COMPUTED_METRICS]


def _entered_rows(editions, entered, locale) -> list[dict]:
    """One row per definition and breakdown; editions without a value show nothing."""
    position = {e.id: i for i, e in enumerate(editions)}
    rows: dict[tuple, dict] = {}
    for definition, value in entered:
        key = (definition.key, value.breakdown)
        if key not in rows:
            label = definition.label(locale)
            if value.breakdown:
                label = f"{label} — {value.breakdown}"
            unit = "%" if definition.kind is MetricKind.PERCENTAGE else definition.unit
            rows[key] = {"key": definition.key, "label": label, "unit": unit,
                         "values": [None] * len(editions), "qualifiers": [None] * len(editions)}
        rows[key]["values"][position[value.edition_id]] = value.value
        rows[key]["qualifiers"][position[value.edition_id]] = value.qualifier.value
    group = _l("Saisi par l'équipe")
    return [_row(r["key"], r["label"], group, "entered", r["values"], r["unit"], r["qualifiers"])
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
        rows = [_row(key, _dimension_label(dimension, key, region_names), dimension, "computed",
                     [per_edition.get(e.id, 0) for e in editions])
                for key, per_edition in by_key.items()]
        rows.sort(key=lambda r: (r["key"] is None, r["key"] or ""))
        tables.append({"dimension": dimension, "title": str(DIMENSION_TITLES[dimension]),
                       "rows": rows})
    return tables


def default_edition_ids() -> list[int]:
    """The two latest editions with data, oldest first."""
    return [e.id for e in reversed(queries.editions_with_data()[:2])]


def build_comparison(*, edition_ids: Sequence[int], region_code: str | None = None,
                     locale: str = "fr") -> dict:
    """Everything the comparison page, its charts and its exports show."""
    editions = list(db.session.scalars(
        db.select(Edition).where(Edition.id.in_(list(edition_ids))).order_by(Edition.year)))
    ids = [e.id for e in editions]
    regions = queries.regions_with_population()
    region_names = {r["code"]: r["name"] for r in regions}
    figures = queries.computed_figures(ids, region_code)
    rows = (_computed_rows(editions, figures["totals"])
            + _entered_rows(editions, queries.entered_values(ids, region_code), locale))
    per_10k = figures["per_10k"]
    density = [
        {"code": r["code"], "name": r["name"], "population": r["population"],
         "values": [per_10k.get(r["code"], {}).get(e.id, 0.0) for e in editions]}
        for r in regions if not region_code or r["code"] == region_code
    ]
    return {"editions": editions, "region_code": region_code,
            "region_name": region_names.get(region_code) if region_code else None,
            "rows": rows,
            "tables": _dimension_tables(editions, figures["breakdowns"],
                                        region_names),
            "density": density}


def chart_data(comparison: dict) -> dict:
    """The JSON the page's scripts draw from (charts and choropleth)."""
    editions = comparison["editions"]
    by_key = {row["key"]: row for row in comparison["rows"] if row["source"] == "computed"}
    region_table = next(t for t in comparison["tables"] if t["dimension"] == "region")
    regions = [r for r in region_table["rows"] if r["key"] is not None]
    return {
        "editions": [str(e.year) for e in editions],
        "line": [{"label": by_key[k]["label"], "data": by_key[k]["values"]} for k in KEY_METRICS],
        "bars": {"labels": [r["label"] for r in regions],
                 "datasets": [{"label": str(e.year), "data": [r["values"][i] for r in regions]}
                              for i, e in enumerate(editions)]},
        "density": {
            "edition": str(editions[-1].year) if editions else "",
            "values": {d["code"]: d["values"][-1] if d["values"] else 0
                       for d in comparison["density"]},
        },
    }

