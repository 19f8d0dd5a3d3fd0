"""Public pages alone, uncached: server time of one request at a time (PostgreSQL).

`make bench ONLY=pages`. Seeds 5,000 published activities in a throw-away PostgreSQL
database (the seeding of bench_calendar), builds the app in-process with the page cache off
and times each public page through the Flask test client, one request at a time: warm-up,
then median and p95 of the wall time, and the median CPU time of the app's process (the
machine is shared: the CPU time is the steadier figure). Baseline in the same run: the
static CSS file through the same client. Searches (issue #22) read search documents
written as the app writes them, and cover a frequent word, an absent one, a place name with
and without accents, a second page and a region. The last rows time the first request after
a public change: one activity edited through the ORM before each (what an organizer's edit
costs the next visitor), then a version bumped by hand (no change log: everything re-read).
`BENCH_PROFILE=1` also prints a cProfile top list per page; `BENCH_REQUESTS=n` sets n.
"""
import cProfile
import io
import os
import pstats
import secrets
import statistics
import time
from urllib.parse import quote

import sqlalchemy as sa

from bench.bench_calendar import seed
from bench.support import bench_database, percentile

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
# BENCH_PAGES=search,week times only the rows whose label holds one of these words.
BENCH_ONLY = [w for w in os.environ.get("BENCH_PAGES", "").split(",") if w]
CHANGED_REQUESTS = max(REQUESTS // 4, 5)
WARM_UP = 10
PROFILE_TOP = 25


def fill_search_documents(app) -> None:
    """The search document of every seeded activity, as the app's flush hook writes it
    (the seeding inserts rows in bulk, past the hook): the text the migration backfills."""
    from gstp.extensions import db

    with app.app_context():
        db.session.execute(sa.text(
            "UPDATE activity a SET search_document = concat_ws(E'\\n', NULLIF(a.title, ''), "
            "NULLIF(a.venue_name, ''), (SELECT o.name FROM organization o "
            "WHERE o.id = a.organization_id), (SELECT m.name FROM municipality m "
            "WHERE m.code = a.municipality_code), NULLIF(a.description, ''))"))
        db.session.commit()


def pages(app) -> list[tuple[str, str]]:
    """(label, path) of each public page, the ids and slugs read from the seeded data."""
    from gstp.activities.models import Activity, Audience, Category, Format
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
        ("list, every filter", f"/activites?region=06&category={Category.CULTURE.value}"
         f"&format={Format.IN_PERSON.value}&audience={Audience.FAMILIES.value}&all=1"),
        ("search, frequent word (a third)", "/activites?q=conte"),
        ("search, absent word", "/activites?q=zzzz"),
        ("search, place with accents", f"/activites?q={quote('Lévis')}"),
        ("search, place without accents", "/activites?q=levis"),
        ("search, two words, region, page 2", "/activites?q=atelier+communautaire&region=06"
         "&page=2"),
        ("week", "/calendrier"),
        ("week, search", "/calendrier?q=conte"),
        ("day", f"/calendrier?date={day}"),
        ("day, page 2", f"/calendrier?date={day}&page=2"),
        ("map", "/carte"),
        ("map, region", "/carte?region=06"),
        ("home, place cookie", "/", {"Cookie": "gstp_lieu=Rimouski"}),
        ("activity", f"/activites/{activity_id}"),
        ("organization", f"/organismes/{busiest}"),
    ]


def time_page(client, path: str, before=None,
              headers: dict | None = None) -> tuple[list[float], list[float], int]:
    """Wall and CPU time (this process: the app without PostgreSQL) of REQUESTS requests of
    one path, after a warm-up; the body size. before() runs untimed before each request."""
    size = 0
    headers = dict(headers or {})
    cookie = None
    if "Cookie" in headers:  # the client's own jar, which it sends in place of a header
        cookie, _, value = headers.pop("Cookie").partition("=")
        client.set_cookie(cookie, value)
    for _ in range(WARM_UP):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.data)
    times, cpu = [], []
    for _ in range(REQUESTS if before is None else CHANGED_REQUESTS):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers)
        response.data  # noqa: B018 - the body is built lazily for streamed responses
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    if cookie:
        client.delete_cookie(cookie)
    return times, cpu, size


def profile_page(client, path: str, headers: dict | None = None, before=None) -> str:
    """cProfile top functions (own time and cumulative) over REQUESTS requests of one path."""
    profiler = cProfile.Profile()
    for _ in range(REQUESTS if before is None else CHANGED_REQUESTS):
        if before is not None:
            before()
        profiler.enable()
        client.get(path, headers=headers or {}).data  # noqa: B018
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    return out.getvalue()


def edit_one(app):
    """A function editing one published activity through the ORM, as an organizer does."""
    from bench.bench_calendar import edit_one_activity

    runs = iter(range(10**6))
    return lambda: edit_one_activity(app, next(runs) % 500)


def public_change(app):
    """A function bumping the public data version by hand (typed SQL: nothing logged)."""
    from gstp.extensions import db
    from gstp.public_version.bumping import bump_public_version

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
        fill_search_documents(app)
        print(f"seeded {seeded} in {time.perf_counter() - started:.1f} s", flush=True)
        with app.app_context():
            from gstp.extensions import db

            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        client = app.test_client()
        rows = []
        baseline = None
        change, edit = public_change(app), edit_one(app)
        for label, path, *rest in pages(app) + [
                ("list, first request after one activity edited", "/activites", None, edit),
                ("week, first request after one activity edited", "/calendrier", None, edit),
                ("home, first request after one activity edited", "/", None, edit),
                ("list, first request after a version bumped by hand", "/activites", None,
                 change),
                ("week, first request after a version bumped by hand", "/calendrier", None,
                 change)]:
            headers, before = (rest + [None, None])[:2]
            if BENCH_ONLY and "baseline" not in label and not any(w in label for w in BENCH_ONLY):
                continue
            times, cpu, size = time_page(client, path, before, headers)
            median, p95 = statistics.median(times), percentile(times, 95)
            baseline = baseline or median
            rows.append((label, path, size, median, p95, statistics.median(cpu),
                         median / baseline))
            print(f"  {label}: median {median * 1000:.2f} ms", flush=True)
            if os.environ.get("BENCH_PROFILE"):
                print(f"--- profile of {label}: {path}")
                print(profile_page(client, path, headers, before), flush=True)
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
