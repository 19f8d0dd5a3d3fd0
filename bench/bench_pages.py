"""Public pages alone, uncached: server time of one request at a time (PostgreSQL).

`make bench ONLY=pages`. Seeds 5,000 published activities in a throw-away PostgreSQL
database (the seeding of bench_calendar), builds the app in-process with the page cache off
and times each public page through the Flask test client, one request at a time: warm-up,
then median and p95 of the wall time, and the median CPU time of the app's process (the
machine is shared: the CPU time is the steadier figure). Baseline in the same run: the
static CSS file through the same client. The last rows time the first request after a
public change (a version bump before each): what a publication costs the next visitor.
`BENCH_PROFILE=1` also prints a cProfile top list per page; `BENCH_REQUESTS=n` sets n.
"""
import cProfile
import io
import os
import pstats
import secrets
import statistics
import time

import sqlalchemy as sa

from bench.bench_calendar import seed
from bench.support import bench_database, percentile

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
CHANGED_REQUESTS = max(REQUESTS // 4, 5)
WARM_UP = 10
PROFILE_TOP = 25


def pages(app) -> list[tuple[str, str]]:
    """(label, path) of each public page, the ids and slugs read from the seeded data."""
    from gstp.activities.models import Activity, Category
    from gstp.editions.services import current_edition
    from gstp.extensions import db
    from gstp.organizations.models import Organization

    with app.app_context():
        edition = current_edition()
        day = edition.starts_on.isoformat()
        activity_id = db.session.scalar(sa.select(sa.func.min(Activity.id)))
        # The organization with the most activities: the heaviest organization page.
        busiest = db.session.scalar(
            sa.select(Organization.slug).join(Activity, Activity.organization_id == Organization.id)
            .group_by(Organization.slug).order_by(sa.func.count().desc(), Organization.slug)
            .limit(1))
    return [
        ("static CSS (baseline)", "/static/css/main.css"),
        ("home", "/"),
        ("list", "/activites"),
        ("list, region + category", f"/activites?region=06&category={Category.CULTURE.value}"),
        ("list, page 10", "/activites?page=10"),
        ("week", "/calendrier"),
        ("day", f"/calendrier?date={day}"),
        ("map", "/carte"),
        ("activity", f"/activites/{activity_id}"),
        ("organization", f"/organismes/{busiest}"),
    ]


def time_page(client, path: str, before=None) -> tuple[list[float], list[float], int]:
    """Wall and CPU time (this process: the app without PostgreSQL) of REQUESTS requests of
    one path, after a warm-up; the body size. before() runs untimed before each request."""
    size = 0
    for _ in range(WARM_UP):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.data)
    times, cpu = [], []
    for _ in range(REQUESTS if before is None else CHANGED_REQUESTS):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        response.data  # noqa: B018 - the body is built lazily for streamed responses
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times, cpu, size


def profile_page(client, path: str) -> str:
    """cProfile top functions (own time and cumulative) over REQUESTS requests of one path."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        client.get(path).data  # noqa: B018
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    return out.getvalue()


def public_change(app):
    """A function committing a public change (a version bump), as any publication does."""
    from gstp.extensions import db
    from gstp.public_version import bump_public_version

    def change() -> None:
        with app.app_context():
            bump_public_version()
            db.session.commit()
    return change


def main() -> None:
    from gstp import create_app

    with bench_database("gstp_bench_pages") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
                          "PUBLIC_BASE_URL": "http://gstp.example", "GSTP_PAGE_CACHE": False,
                          "RATELIMIT_ENABLED": False})
        started = time.perf_counter()
        seeded = seed(app)
        print(f"seeded {seeded} in {time.perf_counter() - started:.1f} s", flush=True)
        with app.app_context():
            from gstp.extensions import db

            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        client = app.test_client()
        rows = []
        baseline = None
        change = public_change(app)
        for label, path, before in [(label, path, None) for label, path in pages(app)] + [
                ("list, first request after a public change", "/activites", change),
                ("week, first request after a public change", "/calendrier", change)]:
            times, cpu, size = time_page(client, path, before)
            median, p95 = statistics.median(times), percentile(times, 95)
            baseline = baseline or median
            rows.append((label, path, size, median, p95, statistics.median(cpu),
                         median / baseline))
            print(f"  {label}: median {median * 1000:.2f} ms", flush=True)
            if os.environ.get("BENCH_PROFILE") and before is None:
                print(f"--- profile of {path} ({REQUESTS} requests)")
                print(profile_page(client, path), flush=True)
        print(f"\n{REQUESTS} requests each ({CHANGED_REQUESTS} after a change), one at a time,"
              f" after {WARM_UP} of warm-up:\n")
        print("| page | path | bytes | median ms | p95 ms | app CPU ms | x static |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for label, path, size, median, p95, cpu, ratio in rows:
            print(f"| {label} | `{path}` | {size:,} | {median * 1000:.1f} | {p95 * 1000:.1f} "
                  f"| {cpu * 1000:.1f} | {ratio:.0f} |")
        with app.app_context():
            from gstp.extensions import db

            db.engine.dispose()


if __name__ == "__main__":
    main()
