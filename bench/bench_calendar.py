"""Public calendar under load: feed generation, cached feeds, list page latency (PostgreSQL).

`make bench ONLY=calendar`. Seeds 5,000 published activities in a throw-away PostgreSQL
database, then compares each figure with a baseline measured in the same run:
(a) the feed built through the app with no event kept (a fresh worker) and rebuilt after
    one activity was edited, each vs the same events serialized by icalendar alone,
(b) cached feed through gunicorn (2 workers) vs nginx (2 worker processes) serving the same
    file, the page cache on as deployed, with wrk's keep-alive clients, plain and gzipped
    (the app's own gzip copy against nginx's gzip_static of the same bytes),
(c) list page p95 under 50 concurrent clients vs one client at a time, page cache off.
Needs no SECRET_KEY nor GSTP_DEMO in the environment: it makes its own secret.
Only loopback traffic; every loop is bounded.
"""
import gzip
import http.client
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.support import (
    GZIP,
    ROOT,
    create_database,
    drop_database,
    ensure_debian_command,
    ensure_postgres,
    free_port,
    percentile,
    stop,
    wait_for_http,
    wrk,
)

ACTIVITIES = 5000
FEED_RUNS = 3
FEED_SECONDS = 10
FEED_CLIENTS = 8
LIST_REQUESTS = 600
LIST_CLIENTS = 50
WORKERS = 2  # gunicorn workers and nginx worker processes alike


def seed(app) -> dict:
    """Reference data, one edition next year, 600 organizations and 5,000 activities."""
    from flask_migrate import upgrade

    from gstp.activities.models import Activity, Audience, Category, Format, Occurrence
    from gstp.editions.models import Edition
    from gstp.editions.services import ensure_editions
    from gstp.extensions import db
    from gstp.geo.models import Municipality
    from gstp.geo.reference import load_reference_data
    from gstp.organizations.models import Organization, OrganizationType

    rng = random.Random(2016)
    with app.app_context():
        upgrade()
        load_reference_data()
        year = date.today().year + 1
        ensure_editions(year)
        edition = db.session.scalar(sa.select(Edition).where(Edition.year == year))
        places = db.session.scalars(sa.select(Municipality).where(
            Municipality.latitude.is_not(None)).order_by(Municipality.population.desc())
            .limit(300)).all()
        now = datetime.now(UTC)
        organizations = [{"name": f"Organisme banc d'essai {n}", "slug": f"banc-{n}",
                          "type": OrganizationType.FAMILY_ORGANIZATION,
                          "region_code": places[n % len(places)].region_code,
                          "email": f"org{n}@bench.example", "created_at": now, "updated_at": now}
                         for n in range(600)]
        db.session.execute(sa.insert(Organization), organizations)
        org_ids = db.session.scalars(sa.select(Organization.id)).all()
        rows = []
        for n in range(ACTIVITIES):
            place = places[n % len(places)]
            fmt = rng.choice([Format.IN_PERSON] * 7 + [Format.VIRTUAL] * 2 + [Format.HYBRID])
            zone = "America/Blanc-Sablon" if place.code == "98005" else "America/Toronto"
            rows.append({
                "edition_id": edition.id, "organization_id": rng.choice(org_ids),
                "title": f"Activité {n} : {rng.choice(['conte', 'jeu libre', 'atelier'])}",
                "description": "Activité pour les tout-petits et leurs parents. " * 4,
                "category": rng.choice(list(Category)), "audience": rng.choice(list(Audience)),
                "format": fmt, "venue_name": f"Centre communautaire de {place.name}",
                "address": f"{place.name}, QC", "municipality_code": place.code,
                "region_code": place.region_code, "mrc_code": place.mrc_code,
                "latitude": place.latitude + rng.uniform(-.02, .02),
                "longitude": place.longitude + rng.uniform(-.02, .02),
                "virtual_url": None if fmt is Format.IN_PERSON else "https://visio.example/x",
                "geocoding_status": "located", "time_zone": zone, "state": "published",
                "published_at": now, "sequence": rng.randint(0, 3),
                "created_at": now, "updated_at": now})
        db.session.execute(sa.insert(Activity), rows)
        occurrences = []
        for activity_id, zone in db.session.execute(sa.select(Activity.id, Activity.time_zone)):
            day = edition.starts_on + timedelta(days=rng.randint(0, 6))
            start = datetime(day.year, day.month, day.day, rng.randint(8, 19), 0,
                             tzinfo=ZoneInfo(zone))
            occurrences.append({"activity_id": activity_id, "starts_at": start,
                                "ends_at": start + timedelta(minutes=90), "time_zone": zone})
        db.session.execute(sa.insert(Occurrence), occurrences)
        db.session.commit()
    return {"activities": ACTIVITIES, "occurrences": len(occurrences)}


def plain_events(app) -> list[tuple]:
    """The fields the app writes for every date, as plain values (the baseline's input)."""
    from sqlalchemy.orm import selectinload

    from gstp.activities.models import Activity
    from gstp.extensions import db

    with app.app_context():
        activities = db.session.scalars(sa.select(Activity).options(
            selectinload(Activity.occurrences), selectinload(Activity.organization))).all()
        return [(f"activity-{a.id}-occ-{o.id}@gstp.example", a.title, a.description,
                 f"{a.venue_name}, {a.address}", a.sequence, a.updated_at.astimezone(UTC),
                 o.starts_at.astimezone(ZoneInfo(o.time_zone)),
                 o.ends_at.astimezone(ZoneInfo(o.time_zone)), a.latitude, a.longitude,
                 f"http://gstp.example/activites/{a.id}", a.category.value,
                 a.organization.email, a.organization.name)
                for a in activities for o in a.occurrences]


def icalendar_alone(events: list[tuple]) -> float:
    """Seconds icalendar takes to build and serialize these events, nothing else."""
    from icalendar import Calendar, Event, Timezone

    started = time.perf_counter()
    calendar = Calendar()
    for name, value in (("prodid", "-//bench//"), ("version", "2.0"),
                        ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                        ("x-wr-calname", "GSTP"), ("x-published-ttl", "PT6H")):
        calendar.add(name, value)
    for (uid, title, text, where, seq, updated, start, end, lat, lon, url, category,
         email, org) in events:
        event = Event()
        event.add("uid", uid)
        event.add("sequence", seq)
        event.add("dtstamp", updated)
        event.add("last-modified", updated)
        event.add("created", updated)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", title)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("description", f"{text}\n\n{url}")
        event.add("url", url)
        event.add("location", where)
        event.add("geo", (lat, lon))
        event.add("categories", [category])
        event.add("organizer", f"mailto:{email}", parameters={"CN": org})
        calendar.add_component(event)
    for tzid in ("America/Blanc-Sablon", "America/Toronto"):
        calendar.add_component(Timezone.from_tzid(tzid, first_date=date(2015, 1, 1)))
    calendar.to_ical()
    return time.perf_counter() - started


def edit_one_activity(app, run: int) -> None:
    """A public change: one published activity retitled (SEQUENCE and the version go up)."""
    from gstp.activities.models import Activity
    from gstp.extensions import db

    with app.app_context():
        activity = db.session.scalar(sa.select(Activity).order_by(Activity.id).offset(run * 7))
        activity.title = f"{activity.title} (modifiée {run + 1})"
        db.session.commit()


def bench_cold_feed(app) -> dict:
    """(a) The app's /calendrier.ics built without any cached event, and rebuilt after one
    activity was edited, each against icalendar alone on the same events, interleaved."""
    from gstp.calendar.feed_events import event_cache

    page_store = app.extensions["gstp_page_store"]

    client = app.test_client()
    events = plain_events(app)

    def get() -> tuple[float, bytes]:
        started = time.perf_counter()
        response = client.get("/calendrier.ics")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        return elapsed, response.data

    cold, changed, baseline = [], [], []
    for run in range(FEED_RUNS):
        baseline.append(icalendar_alone(events))
        page_store.clear()
        event_cache.clear()
        cold.append(get()[0])
        edit_one_activity(app, run)
        elapsed, body = get()
        changed.append(elapsed)
    cached_time, cached = get()
    assert cached == body
    page_store.clear()
    event_cache.clear()
    assert get()[1] == body, "an edit left a stale event in the feed"
    base_s = statistics.median(baseline)
    cold_s, changed_s = statistics.median(cold), statistics.median(changed)
    return {"feed_bytes": len(body), "events": len(events), "icalendar_only_s": base_s,
            "cold_s": cold_s, "cold_ratio": cold_s / base_s, "changed_s": changed_s,
            "changed_ratio": changed_s / base_s, "app_cached_s": cached_time}


def load(port: int, paths: list[str], clients: int) -> list[float]:
    """GET every path (bounded list) with `clients` threads; latency of each request."""
    def one(path: str) -> float:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        assert response.status == 200, (path, response.status)
        return elapsed

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, paths))


def start_gunicorn(database_url: str, **settings: str) -> tuple[subprocess.Popen, int]:
    """The app under gunicorn with GUNICORN_WORKERS workers, configured like production."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PUBLIC_BASE_URL": "http://gstp.example",
           "SECRET_KEY": secrets.token_hex(32), **settings}
    env.pop("GSTP_DEMO", None)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    wait_for_http(port)
    return process, port


def start_nginx(root: Path) -> tuple[subprocess.Popen, int]:
    """nginx on a free loopback port serving `root`, with a config of its own."""
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes {WORKERS};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
    gzip_static on;
    types {{ text/calendar ics; text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        etag on;
    }}
}}
""")
    process = subprocess.Popen([ensure_debian_command("nginx"), "-c", str(conf), "-p", str(root),
                                "-g", "daemon off;"])
    wait_for_http(port, "/calendrier.ics")
    return process, port


def list_paths(rng: random.Random) -> list[str]:
    """A bounded mix of list pages: plain, paginated, filtered, text search, near me."""
    choices = ["/activites", "/activites?page=3", "/activites?region=06", "/activites?region=03",
               "/activites?format=virtual", "/activites?q=conte", "/activites?all=1&page=10",
               "/activites?near=Sherbrooke&radius=50", "/activites?category=acces_culture"]
    return [rng.choice(choices) for _ in range(LIST_REQUESTS)]


def main() -> None:
    ensure_postgres()
    name, url = create_database()
    os.environ["DATABASE_URL"] = url
    workdir = Path(tempfile.mkdtemp(prefix="gstp-bench-calendar-"))
    gunicorn = nginx = None
    try:
        from gstp import create_app

        # The feed is timed as built: no page cache in front of it.
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PUBLIC_BASE_URL": "http://gstp.example",
                          "SECRET_KEY": secrets.token_hex(32), "GSTP_PAGE_CACHE": False})
        started = time.perf_counter()
        seeded = seed(app)
        print(f"seeded {seeded} in {time.perf_counter() - started:.1f} s", flush=True)

        cold = bench_cold_feed(app)
        print("(a) {events} events, {feed_bytes} bytes; icalendar alone {icalendar_only_s:.2f} s;"
              " app, no event kept {cold_s:.2f} s (ratio {cold_ratio:.2f}); app after one"
              " activity edited {changed_s:.3f} s (ratio {changed_ratio:.3f}); cached through"
              " the app {app_cached_s:.3f} s".format(**cold), flush=True)

        # The public cache as deployed (GSTP_PAGE_CACHE left to its default).
        gunicorn, g_port = start_gunicorn(url)
        (workdir / "www").mkdir()
        for _ in range(4):  # every worker builds and caches the feed before timing
            load(g_port, ["/calendrier.ics"] * WORKERS, WORKERS)
        connection = http.client.HTTPConnection("127.0.0.1", g_port, timeout=60)
        connection.request("GET", "/calendrier.ics")
        body = connection.getresponse().read()
        connection.close()
        (workdir / "www" / "calendrier.ics").write_bytes(body)
        # nginx's gzip_static serves this beside the file, as the app serves its own copy.
        (workdir / "www" / "calendrier.ics.gz").write_bytes(gzip.compress(body, mtime=0))
        nginx, n_port = start_nginx(workdir)
        for encoding, headers in (("plain", ()), ("gzip", GZIP)):
            rows = {label: wrk(port, "/calendrier.ics", clients=FEED_CLIENTS,
                               seconds=FEED_SECONDS, timeout=30, headers=headers)
                    for label, port in (("gunicorn", g_port), ("nginx", n_port))}
            app_row, nginx_row = rows["gunicorn"], rows["nginx"]
            print(f"(b) cached feed, {encoding}, {FEED_CLIENTS} keep-alive clients for "
                  f"{FEED_SECONDS} s: gunicorn ({WORKERS} workers) {app_row['rps']:.1f} req/s, "
                  f"{app_row['mbps']:.0f} MB/s, {app_row['errors']} errors; nginx ({WORKERS} "
                  f"worker processes) {nginx_row['rps']:.1f} req/s, {nginx_row['mbps']:.0f} "
                  f"MB/s; ratio {app_row['rps'] / nginx_row['rps']:.2f}", flush=True)
        stop(gunicorn)

        # The list page as computed on each request: no page cache.
        gunicorn, g_port = start_gunicorn(url, GSTP_PAGE_CACHE="0")
        rng = random.Random(5)
        paths = list_paths(rng)
        load(g_port, paths[:20], 2)  # warm both workers
        single = load(g_port, paths[:100], 1)
        started = time.perf_counter()
        loaded = load(g_port, paths, LIST_CLIENTS)
        elapsed = time.perf_counter() - started
        p95_single, p95_loaded = percentile(single, 95), percentile(loaded, 95)
        print(f"(c) list page: 1 client p50 {statistics.median(single) * 1000:.0f} ms p95 "
              f"{p95_single * 1000:.0f} ms; {LIST_CLIENTS} clients x {LIST_REQUESTS} requests "
              f"p50 {statistics.median(loaded) * 1000:.0f} ms p95 {p95_loaded * 1000:.0f} ms, "
              f"{LIST_REQUESTS / elapsed:.1f} req/s; p95 ratio {p95_loaded / p95_single:.1f}",
              flush=True)
    finally:
        for process in (nginx, gunicorn):
            if process is not None and process.poll() is None:
                stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
        drop_database(name)


if __name__ == "__main__":
    main()
