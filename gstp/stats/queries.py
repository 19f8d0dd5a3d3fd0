"""Read-only statistics: figures computed from the platform, several editions per query.

Every function takes the editions to compare (`edition_ids`) and an optional region, and
returns figures keyed by metric and edition; aggregation happens in SQL (GROUP BY,
DISTINCT subqueries, small pre-aggregated CTEs, one UNION ALL), never by looping over rows
in Python.
"""
from collections.abc import Sequence

import sqlalchemy as sa

from gstp.activities.models import Activity, ActivityState, AttendanceReport
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.stats.computed_metrics import COMPUTED_METRICS, COMPUTED_SOURCES
from gstp.stats.models import MetricDefinition, MetricValue

PUBLISHED = ActivityState.PUBLISHED


def _held_state() -> sa.ColumnElement:
    """The activity's state for the figures: withdrawn after reporting attendance, it was
    held (published); otherwise its own state. IN, not a correlated EXISTS: PostgreSQL
    hashes the reported ids once, and only cancelled rows look them up (see BENCHMARKS.md)."""
    return sa.type_coerce(sa.case((_withdrawn_after_report(), PUBLISHED.value),
                                  else_=Activity.state), Activity.__table__.c.state.type)


def _withdrawn_after_report() -> sa.ColumnElement:
    return sa.and_(Activity.state == ActivityState.CANCELLED,
                   Activity.id.in_(sa.select(AttendanceReport.activity_id)))


def _scoped(edition_ids: Sequence[int], region_code: str | None):
    """The activities compared (published and cancelled), narrowed to the columns statistics
    read. A subquery, not a CTE: inlined, the planner knows its size and hashes; a
    materialized CTE of every row proved twice slower (see BENCHMARKS.md).

    An attendance report says the activity took place: withdrawn afterwards, it still
    counts as held, with its attendance (the figures are history, not the current state)."""
    stmt = sa.select(
        Activity.id, Activity.edition_id, _held_state().label("state"), Activity.organization_id,
        Activity.municipality_code, Activity.mrc_code, Activity.region_code, Activity.category,
        Activity.format, Activity.audience,
    ).where(Activity.edition_id.in_(list(edition_ids)),
            Activity.state.in_([PUBLISHED, ActivityState.CANCELLED]))
    if region_code:
        stmt = stmt.where(Activity.region_code == region_code)
    return stmt.subquery("scoped")


def _part(kind, key, edition_id, *values):
    """One SELECT of the UNION ALL: (kind, key, edition_id, v0…v3), unused values NULL."""
    padded = list(values) + [sa.null()] * (4 - len(values))
    return sa.select(sa.literal(kind).label("kind"), sa.cast(key, sa.String).label("key"),
                     edition_id.label("edition_id"),
                     *(sa.cast(v, sa.Float).label(f"v{i}") for i, v in enumerate(padded)))


def _place_parts(scoped) -> list:
    """Activities per state and region (with the ratio per 10,000 inhabitants), distinct
    municipalities, MRC and regions, and attendance sums, from one pre-aggregation by place."""
    places = (sa.select(scoped.c.edition_id, scoped.c.state, scoped.c.region_code,
                        scoped.c.mrc_code, scoped.c.municipality_code,
                        sa.func.count().label("n"),
                        sa.func.count(AttendanceReport.id).label("reports"),
                        sa.func.sum(AttendanceReport.children).label("children"),
                        sa.func.sum(AttendanceReport.adults).label("adults"),
                        sa.func.sum(AttendanceReport.organizations_reached).label("reached"))
              .select_from(scoped.outerjoin(AttendanceReport,
                                            AttendanceReport.activity_id == scoped.c.id))
              .group_by(scoped.c.edition_id, scoped.c.state, scoped.c.region_code,
                        scoped.c.mrc_code, scoped.c.municipality_code).cte("places"))
    published = places.c.state == PUBLISHED
    population = (
        sa.select(Municipality.region_code, sa.func.sum(Municipality.population).label("pop"))
        .group_by(Municipality.region_code).subquery("region_population"))
    ratio = sa.cast(sa.func.sum(places.c.n), sa.Float) * 10000 / sa.func.nullif(
        population.c.pop, 0)
    return [
        _part("total", places.c.state, places.c.edition_id, sa.func.sum(places.c.n))
        .group_by(places.c.edition_id, places.c.state),
        _part("region", places.c.region_code, places.c.edition_id, sa.func.sum(places.c.n),
              ratio)
        .select_from(places.outerjoin(population,
                                      population.c.region_code == places.c.region_code))
        .where(published).group_by(places.c.region_code, places.c.edition_id, population.c.pop),
        _part("places", sa.literal(""), places.c.edition_id,
              sa.func.count(sa.distinct(places.c.municipality_code)),
              sa.func.count(sa.distinct(places.c.mrc_code)),
              sa.func.count(sa.distinct(places.c.region_code)))
        .where(published).group_by(places.c.edition_id),
        # Attendance reported after the week rides along: no second read of the activities.
        _part("attendance", sa.literal(""), places.c.edition_id, sa.func.sum(places.c.reports),
              sa.func.sum(places.c.children), sa.func.sum(places.c.adults),
              sa.func.sum(places.c.reached))
        .where(published).group_by(places.c.edition_id),
    ]


def _kind_parts(scoped) -> list:
    """Published activities per category, format and audience, from one pre-aggregation."""
    kinds = (sa.select(scoped.c.edition_id, scoped.c.category, scoped.c.format,
                       scoped.c.audience, sa.func.count().label("n"))
             .where(scoped.c.state == PUBLISHED)
             .group_by(scoped.c.edition_id, scoped.c.category, scoped.c.format,
                       scoped.c.audience).cte("kinds"))
    return [_part(name, kinds.c[name], kinds.c.edition_id, sa.func.sum(kinds.c.n))
            .group_by(kinds.c.edition_id, kinds.c[name]) for name in BREAKDOWNS]


def _organization_part(scoped, edition_ids: Sequence[int], region_code: str | None):
    """Participating organizations, new or returning (a published activity in an earlier
    edition, anywhere in Québec: a region filter narrows the edition, not the history)."""
    history = (sa.select(Activity.organization_id, Activity.edition_id)
               .where(sa.or_(Activity.state == PUBLISHED, _withdrawn_after_report()))
               .distinct().cte("participations"))
    first = (
        sa.select(history.c.organization_id, sa.func.min(Edition.year).label("first_year"))
        .join(Edition, Edition.id == history.c.edition_id)
        .group_by(history.c.organization_id)
        .subquery("first_participation")
    )
    if region_code:
        pairs = (sa.select(scoped.c.edition_id, scoped.c.organization_id)
                 .where(scoped.c.state == PUBLISHED).distinct().subquery("pairs"))
    else:  # the whole province: the history already holds the pairs, no second read
        pairs = (sa.select(history.c.edition_id, history.c.organization_id)
                 .where(history.c.edition_id.in_(list(edition_ids))).subquery("pairs"))
    status = sa.case((first.c.first_year == Edition.year, "organizations_new"),
                     else_="organizations_returning")
    return (_part("total", status, pairs.c.edition_id, sa.func.count())
            .join(Edition, Edition.id == pairs.c.edition_id)
            .join(first, first.c.organization_id == pairs.c.organization_id)
            .group_by(pairs.c.edition_id, status))


BREAKDOWNS = ("category", "format", "audience")
PLACE_KEYS = ("municipalities", "mrc", "regions")
ATTENDANCE_KEYS = ("attendance_reports", "attendance_children", "attendance_adults",
                   "attendance_organizations")
STATE_KEYS = {PUBLISHED.value: "activities", ActivityState.CANCELLED.value: "activities_cancelled"}


def activity_figures(edition_ids: Sequence[int], region_code: str | None = None) -> dict:
    """Totals, breakdowns and per-10,000 ratios of activities, in one statement.

    Returns {"totals": {key: {edition_id: n}}, "breakdowns": {dimension: {value:
    {edition_id: n}}}, "per_10k": {region_code: {edition_id: ratio}}}; missing = 0.
    """
    scoped = _scoped(edition_ids, region_code)
    parts = [*_place_parts(scoped), *_kind_parts(scoped),
             _organization_part(scoped, edition_ids, region_code)]
    figures: dict = {"totals": {key: {} for key, _l, _g in COMPUTED_METRICS},
                     "breakdowns": {name: {} for name in ("region", *BREAKDOWNS)},
                     "per_10k": {}}
    totals = figures["totals"]
    for kind, key, edition_id, *values in db.session.execute(sa.union_all(*parts)):
        if kind == "total":
            totals[STATE_KEYS.get(key, key)][edition_id] = int(values[0])
        elif kind in ("attendance", "places"):
            keys = ATTENDANCE_KEYS if kind == "attendance" else PLACE_KEYS
            for name, value in zip(keys, values, strict=False):
                totals[name][edition_id] = int(value or 0)
        else:
            figures["breakdowns"][kind].setdefault(key, {})[edition_id] = int(values[0])
            if kind == "region" and key is not None:
                figures["per_10k"].setdefault(key, {})[edition_id] = float(values[1] or 0)
    # Every participating organization is either new or returning: their sum, per edition.
    new, returning = totals["organizations_new"], totals["organizations_returning"]
    for edition_id in set(new) | set(returning):
        totals["organizations"][edition_id] = new.get(edition_id, 0) + returning.get(edition_id, 0)
    return figures


def computed_figures(edition_ids: Sequence[int], region_code: str | None = None) -> dict:
    """activity_figures, with the totals of every other source of COMPUTED_SOURCES merged."""
    figures = activity_figures(edition_ids, region_code)
    for source in COMPUTED_SOURCES:
        figures["totals"].update(source(edition_ids, region_code))
    return figures


def regions_with_population() -> list[dict]:
    """Every region with its population (sum of its municipalities), by code."""
    stmt = (
        sa.select(Region.code, Region.name, sa.func.sum(Municipality.population))
        .outerjoin(Municipality, Municipality.region_code == Region.code)
        .group_by(Region.code, Region.name)
        .order_by(Region.code)
    )
    return [{"code": code, "name": name, "population": int(pop or 0)}
            for code, name, pop in db.session.execute(stmt)]


def entered_values(edition_ids: Sequence[int], region_code: str | None = None) -> list:
    """Entered figures of these editions: province-wide ones, or those of one region."""
    region_clause = (MetricValue.region_code == region_code if region_code
                     else MetricValue.region_code.is_(None))
    stmt = (
        sa.select(MetricDefinition, MetricValue)
        .join(MetricValue, MetricValue.definition_id == MetricDefinition.id)
        .where(MetricValue.edition_id.in_(list(edition_ids)), region_clause)
        .order_by(MetricDefinition.sort_order, MetricDefinition.key, MetricValue.breakdown)
    )
    return list(db.session.execute(stmt))


def editions_with_data() -> list[Edition]:
    """Editions that have a published activity or an entered figure, newest first."""
    has_activity = sa.select(Activity.id).where(Activity.edition_id == Edition.id,
                                                Activity.state == PUBLISHED).exists()
    has_value = sa.select(MetricValue.id).where(MetricValue.edition_id == Edition.id).exists()
    return list(db.session.scalars(
        sa.select(Edition).where(sa.or_(has_activity, has_value)).order_by(Edition.year.desc())))


def first_platform_year() -> int | None:
    """Year of the first edition run on the platform (the demo one aside)."""
    return db.session.scalar(sa.select(sa.func.min(Edition.year)).where(
        Edition.on_platform.is_(True), Edition.is_demo.is_(False)))
