"""Public calendar under load: feed generation, cached feeds, list page latency (PostgreSQL).

`make bench ONLY=calendar`. Seeds 5,000 published activities in a throw-away PostgreSQL
database, then compares each figure with a baseline measured in the same run:
(a) cold feed through the app vs the same events serialized by icalendar alone,
(b) cached feed through gunicorn (2 workers) vs nginx serving the same file,
(c) list page p95 under 50 concurrent clients vs one client at a time.
Only loopback traffic; every loop is bounded.
"""
import http.client
import os
import random
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
    ROOT,
    create_database,
    drop_database,
    ensure_debian_command,
    ensure_postgres,
    free_port,
    percentile,
)

ACTIVITIES = 5000
FEED_RUNS = 3
FEED_REQUESTS = 120
FEED_CLIENTS = 4
LIST_REQUESTS = 600
LIST_CLIENTS = 50










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


def bench_cold_feed(app) -> dict:
    """(a) The app's cold /calendrier.ics vs icalendar alone on the same events."""
    from icalendar import Calendar, Event, Timezone
    from sqlalchemy.orm import selectinload

    from gstp.activities.models import Activity
    from gstp.calendar.feeds import feed_cache
    from gstp.extensions import db

    client = app.test_client()
    app_times, size = [], 0
    for _ in range(FEED_RUNS):
        feed_cache.clear()
        started = time.perf_counter()
        response = client.get("/calendrier.ics")
        app_times.append(time.perf_counter() - started)
        size = len(response.data)
        assert response.status_code == 200
    started = time.perf_counter()
    cached = client.get("/calendrier.ics")
    cached_time = time.perf_counter() - started
    assert cached.data == response.data
    with app.app_context():
        activities = db.session.scalars(sa.select(Activity).options(
            selectinload(Activity.occurrences), selectinload(Activity.organization))).all()
        # The same fields the app writes, as plain values: the baseline skips only the app.
        events = [(f"activity-{a.id}-occ-{o.id}@gstp.example", a.title, a.description,
                   f"{a.venue_name}, {a.address}", a.sequence, a.updated_at.astimezone(UTC),
                   o.starts_at.astimezone(ZoneInfo(o.time_zone)),
                   o.ends_at.astimezone(ZoneInfo(o.time_zone)), a.latitude, a.longitude,
                   f"http://gstp.example/activites/{a.id}", a.category.value,
                   a.organization.email, a.organization.name)
                  for a in activities for o in a.occurrences]
    baseline_times = []
    for _ in range(FEED_RUNS):
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
        baseline_times.append(time.perf_counter() - started)
    app_s, base_s = statistics.median(app_times), statistics.median(baseline_times)
    return {"feed_bytes": size, "events": len(events), "app_cold_s": app_s,
            "icalendar_only_s": base_s, "ratio": app_s / base_s, "app_cached_s": cached_time}


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


def wait_for(port: int, path: str = "/", attempts: int = 100) -> None:
    for _ in range(attempts):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def start_gunicorn(database_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PUBLIC_BASE_URL": "http://gstp.example"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    wait_for(port)
    return process, port


def start_nginx(root: Path) -> tuple[subprocess.Popen, int]:
    """nginx on a free loopback port serving `root`, with a config of its own."""
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    sendfile on;
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
    wait_for(port, "/calendrier.ics")
    return process, port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()




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

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PUBLIC_BASE_URL": "http://gstp.example"})
        started = time.perf_counter()
        seeded = seed(app)
        print(f"seeded {seeded} in {time.perf_counter() - started:.1f} s", flush=True)

        cold = bench_cold_feed(app)
        print("(a) cold feed: app {app_cold_s:.2f} s, icalendar alone {icalendar_only_s:.2f} s,"
              " ratio {ratio:.2f}; {events} events, {feed_bytes} bytes;"
              " cached through the app {app_cached_s:.3f} s".format(**cold), flush=True)

        gunicorn, g_port = start_gunicorn(url)
        (workdir / "www").mkdir()
        for _ in range(4):  # both workers build and cache the feed before timing
            load(g_port, ["/calendrier.ics"] * 2, 2)
        connection = http.client.HTTPConnection("127.0.0.1", g_port, timeout=60)
        connection.request("GET", "/calendrier.ics")
        (workdir / "www" / "calendrier.ics").write_bytes(connection.getresponse().read())
        connection.close()
        nginx, n_port = start_nginx(workdir)
        feed_results = {}
        for label, port in (("gunicorn", g_port), ("nginx", n_port)):
            started = time.perf_counter()
            load(port, ["/calendrier.ics"] * FEED_REQUESTS, FEED_CLIENTS)
            feed_results[label] = FEED_REQUESTS / (time.perf_counter() - started)
        print(f"(b) cached feed, {FEED_CLIENTS} clients x {FEED_REQUESTS} requests: gunicorn "
              f"{feed_results['gunicorn']:.1f} req/s, nginx {feed_results['nginx']:.1f} req/s, "
              f"ratio {feed_results['gunicorn'] / feed_results['nginx']:.2f}", flush=True)

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
            if process is not None:
                stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
        drop_database(name)


if __name__ == "__main__":
    main()
