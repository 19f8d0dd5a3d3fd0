"""How cost grows: uncached list, search and week p95, and the feed build, by data size.

`make bench ONLY=growth`. For each size a throw-away PostgreSQL database is seeded in bulk
(search documents written as the app writes them): 1,500 activities in the current
edition, 5,000, then 10 editions of 5,000 (50,000 activities, the current edition one of
them). In-process, page cache off, one request at a time (bench_pages' timing): p95 of the
list, of searches (a frequent word, an absent one, a place, with a region, page 2), of the
week, then the current edition's feed built with no event kept and after one activity was
edited. Baseline in the same run: the static CSS file. `BENCH_REQUESTS=n` sets n (60).
"""
import os
import random
import secrets
import statistics
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bench.support import bench_database, percentile

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
SIZES = [(1, 1500), (1, 5000), (10, 5000)]  # (editions, activities per edition)
WORDS = ["conte", "jeu libre", "atelier", "parents", "zzzz", "Lévis", "levis", "Gatineau",
         "Trois-Rivières", "atelier communautaire"]


def seed(app, editions: int, per_edition: int) -> None:
    """Reference data, 600 organizations and the activities of the last `editions` editions,
    next year's being the current one; one occurrence each."""
    from flask_migrate import upgrade

    from gstp.activities.models import Activity, Audience, Category, Format, Occurrence
    from gstp.activities.search import join_parts
    from gstp.editions.models import Edition
    from gstp.editions.services import ensure_editions
    from gstp.extensions import db
    from gstp.geo.models import Municipality
    from gstp.geo.reference import load_reference_data
    from gstp.organizations.models import Organization, OrganizationType

    rng = random.Random(22)
    with app.app_context():
        upgrade()
        load_reference_data()
        last = datetime.now(UTC).year + 1
        ensure_editions(last)
        chosen = db.session.scalars(sa.select(Edition).where(Edition.year > last - editions)
                                    .order_by(Edition.year)).all()
        places = db.session.scalars(sa.select(Municipality).where(
            Municipality.latitude.is_not(None)).order_by(Municipality.population.desc())
            .limit(300)).all()
        now = datetime.now(UTC)
        db.session.execute(sa.insert(Organization), [
            {"name": f"Organisme banc d'essai {n}", "slug": f"banc-{n}",
             "type": OrganizationType.FAMILY_ORGANIZATION, "email": f"o{n}@bench.example",
             "region_code": places[n % len(places)].region_code, "created_at": now,
             "updated_at": now} for n in range(600)])
        organizations = dict(db.session.execute(
            sa.select(Organization.id, Organization.name)).all())
        for edition in chosen:
            rows = []
            for n in range(per_edition):
                place, organization = places[n % len(places)], rng.choice(list(organizations))
                title = f"Activité {n} : {rng.choice(['conte', 'jeu libre', 'atelier'])}"
                venue = f"Centre communautaire de {place.name}"
                description = "Activité pour les tout-petits et leurs parents. " * 4
                rows.append({
                    "edition_id": edition.id, "organization_id": organization, "title": title,
                    "description": description, "category": rng.choice(list(Category)),
                    "audience": rng.choice(list(Audience)), "format": Format.IN_PERSON,
                    "venue_name": venue, "address": f"{place.name}, QC",
                    "municipality_code": place.code, "region_code": place.region_code,
                    "mrc_code": place.mrc_code, "latitude": place.latitude,
                    "longitude": place.longitude, "geocoding_status": "located",
                    "time_zone": "America/Toronto", "state": "published", "published_at": now,
                    "sequence": 0, "created_at": now, "updated_at": now,
                    "search_document": join_parts(title, venue, organizations[organization],
                                                  place.name, description)})
            db.session.execute(sa.insert(Activity), rows)
            zone = ZoneInfo("America/Toronto")
            db.session.execute(sa.insert(Occurrence), [
                {"activity_id": activity_id, "time_zone": zone.key,
                 "starts_at": (start := datetime.combine(
                     edition.starts_on + timedelta(days=n % 7), datetime.min.time(), zone)
                     + timedelta(hours=8 + n % 11)),
                 "ends_at": start + timedelta(minutes=90)}
                for n, activity_id in enumerate(db.session.scalars(
                    sa.select(Activity.id).where(Activity.edition_id == edition.id)))])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def _p95(client, paths: list[str]) -> tuple[float, float, float]:
    """(median, p95, median CPU of the app's process) in ms of REQUESTS requests cycling
    over paths, after one of each. The CPU time is the steadier figure on a shared machine."""
    for path in paths:
        assert client.get(path).status_code == 200, path
    times, cpu = [], []
    for n in range(REQUESTS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(paths[n % len(paths)]).data  # noqa: B018
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), percentile(times, 95), statistics.median(cpu)


def _feed(app, client) -> tuple[float, float]:
    """ms to build the current edition's feed with no event kept, then after one edit."""
    from gstp.activities.models import Activity
    from gstp.calendar.feed_events import event_cache
    from gstp.editions.services import current_edition
    from gstp.extensions import db

    event_cache.clear()
    started = time.perf_counter()
    assert client.get("/calendrier.ics").status_code == 200
    cold = (time.perf_counter() - started) * 1000
    with app.app_context():  # one activity of the current edition retitled
        activity = db.session.scalar(sa.select(Activity).where(
            Activity.edition_id == current_edition().id).order_by(Activity.id).limit(1))
        activity.title += " (modifiée)"
        db.session.commit()
    started = time.perf_counter()
    assert client.get("/calendrier.ics").status_code == 200
    return cold, (time.perf_counter() - started) * 1000


def main() -> None:
    from urllib.parse import quote_plus

    from gstp import create_app

    table = []
    for editions, per_edition in SIZES:
        with bench_database("gstp_bench_growth") as url:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32),
                              "PUBLIC_BASE_URL": "http://gstp.example", "GSTP_PAGE_CACHE": False,
                              "RATELIMIT_ENABLED": False})
            started = time.perf_counter()
            seed(app, editions, per_edition)
            print(f"seeded {editions} × {per_edition:,} in {time.perf_counter() - started:.0f} s",
                  flush=True)
            client = app.test_client()
            searches = [f"/activites?q={quote_plus(w)}" for w in WORDS] + [
                f"/activites?q={quote_plus(w)}&region=06&page=2" for w in WORDS[:4]]
            row = {"size": f"{editions * per_edition:,}"
                           + (f" ({editions} editions)" if editions > 1 else "")}
            for name, paths in (("static", ["/static/css/main.css"]),
                                ("list", ["/activites", "/activites?page=5",
                                          "/activites?region=06"]),
                                ("search", searches), ("week", ["/calendrier"])):
                row[name] = _p95(client, paths)
            row["feed"] = _feed(app, client)
            table.append(row)
            print(row, flush=True)
            with app.app_context():
                from gstp.extensions import db

                db.engine.dispose()
    print(f"\n{REQUESTS} requests per page kind, one at a time, page cache off "
          "(median / p95 wall ms / median app CPU ms; feed: ms to build)\n")
    print("| activities | static | list | search | week | feed, no event kept | "
          "feed, after one edit |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in table:
        cells = " | ".join(f"{row[k][0]:.1f} / {row[k][1]:.1f} / {row[k][2]:.1f}"
                           for k in ("static", "list", "search", "week"))
        print(f"| {row['size']} | {cells} | {row['feed'][0]:,.0f} | {row['feed'][1]:,.0f} |")


if __name__ == "__main__":
    main()
