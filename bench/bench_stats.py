"""Statistics comparison on PostgreSQL: 10 editions × 5,000 activities, all computed metrics.

Compared in the same run, timed alternately, against (a) the naive way, one query per edition
bringing every row back and counting in Python, and (b) a floor: one COUNT(*) GROUP BY edition.
Target: the full comparison under 200 ms. Then (issue #22) the ten editions, all over, are
frozen (`gstp.stats.frozen`): the comparison read from their kept figures must give the same
figures as the live computation, in under 50 ms. Run with `make bench ONLY=stats`.
"""
import os
import random
import statistics
import time
from collections import Counter, defaultdict

import sqlalchemy as sa

from bench.support import app_config, bench_database

EDITIONS, PER_EDITION, ORGANIZATIONS = 10, 5_000, 3_000
REPEAT = 15


def _timed(function, repeat=REPEAT) -> tuple[float, object]:
    """Median wall time in ms over `repeat` runs, after one warm-up run."""
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _fill(db, rng: random.Random) -> list[int]:
    from gstp.activities.models import (
        Activity,
        ActivityState,
        AttendanceReport,
        Audience,
        Category,
        Format,
    )
    from gstp.editions.services import ensure_editions
    from gstp.geo.models import Municipality
    from gstp.organizations.models import Organization, OrganizationType

    editions = ensure_editions(2015 + EDITIONS)
    db.session.commit()
    places = db.session.execute(sa.select(Municipality.code, Municipality.mrc_code,
                                          Municipality.region_code)).all()
    db.session.execute(sa.insert(Organization.__table__), [
        {"name": f"Organisme {i}", "slug": f"organisme-{i}",
         "type": OrganizationType.FAMILY_ORGANIZATION, "region_code": rng.choice(places)[2]}
        for i in range(ORGANIZATIONS)])
    org_ids = list(db.session.scalars(sa.select(Organization.id)))
    states = [ActivityState.PUBLISHED] * 18 + [ActivityState.CANCELLED, ActivityState.SUBMITTED]
    for number, edition in enumerate(editions, start=1):
        # The pool of organizations grows edition after edition: some new, many returning.
        pool = org_ids[: ORGANIZATIONS * number // EDITIONS]
        rows = []
        for i in range(PER_EDITION):
            virtual = rng.random() < 0.15
            code, mrc, region = rng.choice(places)
            rows.append({
                "edition_id": edition.id, "organization_id": rng.choice(pool),
                "title": f"Activité {edition.year}-{i}", "category": rng.choice(list(Category)),
                "audience": rng.choice(list(Audience)),
                "format": Format.VIRTUAL if virtual else rng.choice(list(Format)),
                "municipality_code": None if virtual else code,
                "mrc_code": None if virtual else mrc, "region_code": region,
                "state": rng.choice(states)})
        db.session.execute(sa.insert(Activity.__table__), rows)
    published = db.session.scalars(sa.select(Activity.id).where(
        Activity.state == ActivityState.PUBLISHED)).all()
    db.session.execute(sa.insert(AttendanceReport.__table__), [
        {"activity_id": i, "children": rng.randint(0, 60), "adults": rng.randint(0, 40),
         "organizations_reached": rng.randint(0, 5)}
        for i in published if rng.random() < 0.4])
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return [e.id for e in editions]


def _all_computed(ids, region_code=None):
    from gstp.stats import queries

    return queries.computed_figures(ids, region_code), queries.regions_with_population()


def _naive(db, ids, region_code=None):
    """One query per edition bringing every row back; counting in Python."""
    from gstp.activities.models import Activity, AttendanceReport, Edition

    result = {}
    first_year = {}
    for year, org in db.session.execute(
            sa.select(Edition.year, Activity.organization_id).join(Edition)
            .where(Activity.state == "published")):
        first_year[org] = min(year, first_year.get(org, year))
    for edition_id in ids:
        year = db.session.get(Edition, edition_id).year
        stmt = sa.select(Activity.state, Activity.organization_id, Activity.municipality_code,
                         Activity.mrc_code, Activity.region_code, Activity.category,
                         Activity.format, Activity.audience, AttendanceReport.children,
                         AttendanceReport.adults).outerjoin(AttendanceReport).where(
            Activity.edition_id == edition_id)
        if region_code:
            stmt = stmt.where(Activity.region_code == region_code)
        counts, orgs, per = Counter(), set(), defaultdict(Counter)
        for state, org, muni, mrc, region, category, fmt, audience, kids, adults in (
                db.session.execute(stmt)):
            counts[state] += 1
            if state != "published":
                continue
            orgs.add(org)
            for name, value in (("municipality", muni), ("mrc", mrc), ("region", region),
                                ("category", category), ("format", fmt),
                                ("audience", audience)):
                per[name][value] += 1
            counts["children"] += kids or 0
            counts["adults"] += adults or 0
        result[edition_id] = {"activities": counts["published"],
                              "organizations": len(orgs),
                              "new": sum(first_year[o] == year for o in orgs),
                              "children": counts["children"], "per": per}
    return result


def main() -> None:
    from flask_migrate import upgrade

    from gstp import create_app
    from gstp.extensions import db
    from gstp.geo.reference import load_reference_data

    with bench_database("gstp_bench_stats") as url:
        app = create_app(app_config(url))
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            started = time.perf_counter()
            ids = _fill(db, random.Random(2016))
            print(f"filled {EDITIONS} editions × {PER_EDITION} activities in "
                  f"{time.perf_counter() - started:.1f} s")
            _report(db, app, ids)
            db.session.remove()
            db.engine.dispose()


def _interleaved(fast, slow, repeat: int = 7) -> dict:
    """Time two ways alternately, so a burst of load on the shared machine hits both."""
    fast(), slow()  # warm-up
    times: dict = {"fast": [], "slow": []}
    for _ in range(repeat):
        for name, function in (("fast", fast), ("slow", slow)):
            started = time.perf_counter()
            function()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: (statistics.median(t), min(t)) for name, t in times.items()}


def _report(db, app, ids) -> None:
    from gstp.activities.models import Activity
    from gstp.stats.comparison import build_comparison

    figures, _regions = _all_computed(ids)
    totals, naive = figures["totals"], _naive(db, ids)
    # The two ways must agree before their times mean anything.
    for edition_id in ids:
        assert totals["activities"][edition_id] == naive[edition_id]["activities"]
        assert totals["organizations"][edition_id] == naive[edition_id]["organizations"]
        assert totals["organizations_new"][edition_id] == naive[edition_id]["new"]
        assert totals["attendance_children"][edition_id] == naive[edition_id]["children"]
    whole = _interleaved(lambda: _all_computed(ids), lambda: _naive(db, ids))
    region = _interleaved(lambda: _all_computed(ids, "06"), lambda: _naive(db, ids, "06"))
    floor = _interleaved(lambda: _all_computed(ids), lambda: db.session.execute(
        sa.select(Activity.edition_id, sa.func.count()).group_by(Activity.edition_id)).all(),
        repeat=REPEAT)
    two_ms, _ = _timed(lambda: _all_computed(ids[-2:]))
    with app.test_request_context():
        page_ms, _ = _timed(lambda: build_comparison(edition_ids=ids))
    all_ms, all_best = whole["fast"]
    print(f"all computed metrics, 10 editions:        {all_ms:7.1f} ms (best {all_best:.1f}; "
          f"{'under' if all_ms < 200 else 'OVER'} the 200 ms target)")
    print(f"same, region 06 only:                     {region['fast'][0]:7.1f} ms "
          f"(best {region['fast'][1]:.1f})")
    print(f"two latest editions (the page's default): {two_ms:7.1f} ms")
    print(f"whole comparison (with entered, labels):  {page_ms:7.1f} ms")
    print(f"baseline naive per-edition Python loop:   {whole['slow'][0]:7.1f} ms "
          f"(SQL is {whole['slow'][0] / all_ms:.1f}× faster)")
    print(f"baseline naive loop, region 06:           {region['slow'][0]:7.1f} ms "
          f"(SQL is {region['slow'][0] / region['fast'][0]:.1f}× faster)")
    print(f"floor: one COUNT(*) GROUP BY edition:     {floor['slow'][0]:7.1f} ms "
          f"(full comparison = {floor['fast'][0] / floor['slow'][0]:.1f}× the floor)")
    _report_frozen(db, app, ids, floor["slow"][0])


def _report_frozen(db, app, ids, floor_ms: float) -> None:
    """The same comparison with the ten closed editions frozen, against the live one."""
    from gstp.editions.models import Edition
    from gstp.stats import frozen, queries
    from gstp.stats.comparison import build_comparison

    started = time.perf_counter()
    count = frozen.refresh_frozen_statistics(editions=db.session.scalars(
        sa.select(Edition).where(Edition.id.in_(ids))).all())
    db.session.commit()
    print(f"\nfroze {count} editions (Québec and each region) in "
          f"{time.perf_counter() - started:.1f} s")
    for region in (None, "06"):
        # Identical figures before any time means anything.
        assert frozen.comparison_figures(ids, region) == queries.computed_figures(ids, region)
    times = _interleaved(lambda: frozen.comparison_figures(ids),
                         lambda: queries.computed_figures(ids))
    region = _interleaved(lambda: frozen.comparison_figures(ids, "06"),
                          lambda: queries.computed_figures(ids, "06"))
    with app.test_request_context():
        page_ms, _ = _timed(lambda: build_comparison(edition_ids=ids))
    frozen_ms, best = times["fast"]
    print(f"frozen: all computed metrics, 10 editions: {frozen_ms:7.1f} ms (best {best:.1f}; "
          f"{'under' if frozen_ms < 50 else 'OVER'} the 50 ms target; live "
          f"{times['slow'][0]:.1f} ms, {times['slow'][0] / frozen_ms:.0f}× slower; "
          f"{frozen_ms / floor_ms:.1f}× the COUNT floor)")
    print(f"frozen: same, region 06 only:              {region['fast'][0]:7.1f} ms (live "
          f"{region['slow'][0]:.1f} ms)")
    print(f"frozen: whole comparison page data:        {page_ms:7.1f} ms")
    if frozen_ms >= 50 and os.environ.get("BENCH_STRICT") == "1":
        raise SystemExit(f"frozen comparison {frozen_ms:.1f} ms: over the 50 ms target")


if __name__ == "__main__":
    main()
