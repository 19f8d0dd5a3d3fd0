"""Read-only statistics: figures computed from the platform, several editions per query.

Every function takes the editions to compare (`edition_ids`) and an optional region, and
returns {metric_key: {edition_id: value}}; aggregation happens in SQL (GROUP BY,
COUNT DISTINCT, subqueries), never by looping over activity rows in Python.
"""
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from gstp.activities.models import Activity, ActivityState, AttendanceReport
from gstp.extensions import db
from gstp.geo.models import Municipality, Region
from gstp.stats.models import Edition, MetricDefinition, MetricValue

PUBLISHED = ActivityState.PUBLISHED
Metrics = dict[str, dict[int, float | int]]


def _scope(edition_ids: Sequence[int], region_code: str | None, *states) -> list:
    """WHERE clause shared by every query: these editions, these states, maybe one region."""
    clauses = [Activity.edition_id.in_(list(edition_ids)),
               Activity.state.in_(states or [PUBLISHED])]
    if region_code:
        clauses.append(Activity.region_code == region_code)
    return clauses


def _only_published(column):
    """The column for published activities, NULL otherwise (for COUNT DISTINCT)."""
    return sa.case((Activity.state == PUBLISHED, column))


def _pivot(rows, keys: Sequence[str]) -> Metrics:
    """Rows (edition_id, v1, v2, …) into {key: {edition_id: value}}."""
    result: Metrics = {key: {} for key in keys}
    for edition_id, *values in rows:
        for key, value in zip(keys, values, strict=True):
            result[key][edition_id] = int(value or 0)
    return result


def activity_totals(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Published and cancelled activities, organizations, municipalities, MRC and regions."""
    keys = ("activities", "activities_cancelled", "organizations", "municipalities", "mrc",
            "regions")
    stmt = (
        sa.select(
            Activity.edition_id,
            sa.func.sum(sa.case((Activity.state == PUBLISHED, 1), else_=0)),
            sa.func.sum(sa.case((Activity.state == ActivityState.CANCELLED, 1), else_=0)),
            sa.func.count(sa.distinct(_only_published(Activity.organization_id))),
            sa.func.count(sa.distinct(_only_published(Activity.municipality_code))),
            sa.func.count(sa.distinct(_only_published(Activity.mrc_code))),
            sa.func.count(sa.distinct(_only_published(Activity.region_code))),
        )
        .where(*_scope(edition_ids, region_code, PUBLISHED, ActivityState.CANCELLED))
        .group_by(Activity.edition_id)
    )
    return _pivot(db.session.execute(stmt), keys)


def organization_totals(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Participating organizations split into new and returning ones.

    Returning = a published activity in an earlier edition, anywhere in Québec (the region
    filter narrows the edition compared, not the organization's history).
    """
    first = (
        sa.select(Activity.organization_id, sa.func.min(Edition.year).label("first_year"))
        .join(Edition, Edition.id == Activity.edition_id)
        .where(Activity.state == PUBLISHED)
        .group_by(Activity.organization_id)
        .subquery("first_participation")
    )
    stmt = (
        sa.select(
            Activity.edition_id,
            sa.func.count(sa.distinct(sa.case((first.c.first_year == Edition.year,
                                               Activity.organization_id)))),
            sa.func.count(sa.distinct(sa.case((first.c.first_year < Edition.year,
                                               Activity.organization_id)))),
        )
        .join(Edition, Edition.id == Activity.edition_id)
        .join(first, first.c.organization_id == Activity.organization_id)
        .where(*_scope(edition_ids, region_code))
        .group_by(Activity.edition_id)
    )
    return _pivot(db.session.execute(stmt), ("organizations_new", "organizations_returning"))


def attendance_totals(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Sums of the attendance reported after the week for published activities."""
    keys = ("attendance_reports", "attendance_children", "attendance_adults",
            "attendance_organizations")
    stmt = (
        sa.select(
            Activity.edition_id,
            sa.func.count(AttendanceReport.id),
            sa.func.sum(AttendanceReport.children),
            sa.func.sum(AttendanceReport.adults),
            sa.func.sum(AttendanceReport.organizations_reached),
        )
        .join(Activity, Activity.id == AttendanceReport.activity_id)
        .where(*_scope(edition_ids, region_code))
        .group_by(Activity.edition_id)
    )
    return _pivot(db.session.execute(stmt), keys)


# Where computed figures come from. Each source takes (edition_ids, region_code) and
# returns {metric_key: {edition_id: value}}; COMPUTED_METRICS below gives each key its
# label and order. Letters to elected officials come from the letters domain at
# integration: add `letter_metrics` (sketched in its docstring) to this tuple and its
# keys ("letters_<level>_sent", "letters_<level>_answered") to COMPUTED_METRICS.
COMPUTED_SOURCES: tuple[Callable[..., Metrics], ...] = (
    activity_totals, organization_totals, attendance_totals,
)


def letter_metrics(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Letters sent and answered by level, from gstp.letters.queries.letter_totals.

    Not wired yet (the letters domain is merged later). At integration:
        from gstp.letters.queries import letter_totals
        result = {}
        for edition_id in edition_ids:  # one grouped query per edition, few editions
            for level, n in letter_totals(edition_id=edition_id, region_code=region_code).items():
                result.setdefault(f"letters_{level}_sent", {})[edition_id] = n["sent"]
                result.setdefault(f"letters_{level}_answered", {})[edition_id] = n["answered"]
        return result
    """
    return {}


# (key, label, group) of every computed figure, in the order of the comparison table.
COMPUTED_METRICS: tuple[tuple[str, object, object], ...] = (
    ("activities", _l("Activités publiées"), _l("Activités")),
    ("activities_cancelled", _l("Activités annulées"), _l("Activités")),
    ("organizations", _l("Organismes participants"), _l("Organismes")),
    ("organizations_new", _l("Nouveaux organismes"), _l("Organismes")),
    ("organizations_returning", _l("Organismes de retour"), _l("Organismes")),
    ("regions", _l("Régions atteintes"), _l("Territoire")),
    ("mrc", _l("MRC atteintes"), _l("Territoire")),
    ("municipalities", _l("Municipalités atteintes"), _l("Territoire")),
    ("attendance_reports", _l("Bilans de participation reçus"), _l("Participation")),
    ("attendance_children", _l("Enfants rejoints"), _l("Participation")),
    ("attendance_adults", _l("Adultes rejoints"), _l("Participation")),
    ("attendance_organizations", _l("Organismes rejoints"), _l("Participation")),
)


def computed_totals(edition_ids: Sequence[int], region_code: str | None = None) -> Metrics:
    """Every computed figure, merged from COMPUTED_SOURCES."""
    merged: Metrics = {}
    for source in COMPUTED_SOURCES:
        merged.update(source(edition_ids, region_code))
    return merged


BREAKDOWN_COLUMNS = {"region": Activity.region_code, "category": Activity.category,
                     "format": Activity.format, "audience": Activity.audience}


def breakdowns(edition_ids: Sequence[int], region_code: str | None = None
               ) -> dict[str, dict[str | None, dict[int, int]]]:
    """Published activities per region, category, format and audience, in one UNION ALL."""
    parts = [
        sa.select(sa.literal(name).label("dimension"), sa.cast(column, sa.String).label("key"),
                  Activity.edition_id, sa.func.count().label("n"))
        .where(*_scope(edition_ids, region_code))
        .group_by(Activity.edition_id, column)
        for name, column in BREAKDOWN_COLUMNS.items()
    ]
    result: dict = {name: {} for name in BREAKDOWN_COLUMNS}
    for dimension, key, edition_id, n in db.session.execute(sa.union_all(*parts)):
        result[dimension].setdefault(key, {})[edition_id] = n
    return result


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


def activities_per_10k(edition_ids: Sequence[int], region_code: str | None = None
                       ) -> dict[str, dict[int, float]]:
    """Published activities per 10,000 inhabitants, per region and edition (regions with
    activities only: the caller shows the others as 0)."""
    population = (
        sa.select(Municipality.region_code, sa.func.sum(Municipality.population).label("pop"))
        .group_by(Municipality.region_code)
        .subquery("region_population")
    )
    ratio = sa.cast(sa.func.count(Activity.id), sa.Float) * 10000 / sa.func.nullif(
        population.c.pop, 0)
    stmt = (
        sa.select(Activity.region_code, Activity.edition_id, sa.cast(ratio, sa.Float))
        .join(population, population.c.region_code == Activity.region_code)
        .where(*_scope(edition_ids, region_code))
        .group_by(Activity.region_code, Activity.edition_id, population.c.pop)
    )
    result: dict[str, dict[int, float]] = {}
    for code, edition_id, value in db.session.execute(stmt):
        result.setdefault(code, {})[edition_id] = float(value or 0)
    return result


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
