"""Registration weeks: 50 readers over varied public URLs while an organizer edits (issue #22).

PostgreSQL with `flask gstp init` + `flask gstp demo --activities N` (1,500 then 5,000),
gunicorn started with gunicorn.conf.py as configured (workers and class printed), wrk with
2 threads and 50 keep-alive clients saying `Accept-Encoding: gzip`, each request a random
line of a weighted mix: home, list, week, map, edition feed, 40 activity pages and at least
500 distinct searches (a third of the requests: accented and unaccented words and places,
pages 1 to 3, with and without a region). Measured in the same run, in turn: the static
file alone (baseline), the mix with no edit, then the mix while a writer edits one
published activity per second through the ORM (a new public version each time), then the
edition feed alone and a region's feed alone, with the writer (not targets: their worker
CPU per answer).
Targets with the writer: readers >= 0.3x static, p95 < 150 ms, no error.

`make bench ONLY=mixed`. Settings (environment): BENCH_MIXED_ACTIVITIES (1500,5000),
BENCH_SECONDS per run (15), BENCH_WARM_UP seconds of the mix first (30), BENCH_WORKERS
(gunicorn.conf.py's count), BENCH_STRICT=1 fails the run when a target is missed. Only
127.0.0.1 is contacted.
"""
import json
import os
import platform
import random
import runpy
import secrets
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from bench.bench_load import BASELINE, SERVERS, _drain, _flask, _gunicorn
from bench.support import (
    GZIP,
    ROOT,
    app_config,
    bench_database,
    child_pids,
    cpu_seconds,
    ensure_debian_command,
)

SIZES = [int(n) for n in os.environ.get("BENCH_MIXED_ACTIVITIES", "1500,5000").split(",") if n]
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
# Each worker renders a card the first time it shows it: a long-lived server has them all.
WARM_UP_SECONDS = float(os.environ.get("BENCH_WARM_UP", "30"))
CLIENTS, TIMEOUT = 50, 5
MIN_RATIO, MAX_P95_MS = 0.3, 150
SCRIPT = ROOT / "bench" / "data" / "wrk_mixed.lua"
# Words of the demo's titles, each as typed with and without its accents.
WORDS = ["conte", "contes", "lecture", "éveil", "eveil", "motricité", "motricite", "comptines",
         "monde", "musée", "musee", "poussette", "parc", "fête", "fete", "langage",
         "conférence", "conference", "maternelle", "droits", "spectacle", "musical", "jouer",
         "grandir", "accueil", "familles", "arrivées", "arrivees", "conseil", "municipal",
         "soirée", "soiree", "atelier", "jeu libre", "zzzz", "tout-petits"]
# Share of the requests by kind (searches: a third, as the traffic).
WEIGHTS = {"search": 33, "activity": 25, "list": 12, "home": 10, "week": 10, "map": 6,
           "feed": 4}
# Asked alone while the writer edits: the whole edition's feed (each edit is in it) and a
# region's (most edits are elsewhere).
ALONE = {"edition feed": "/calendrier.ics", "region feed": "/regions/06/calendrier.ics"}


def _strip(text: str) -> str:
    from gstp.geo.text import strip_accents

    return strip_accents(text)


def mix(database_url: str, rng: random.Random) -> tuple[list[str], int]:
    """The weighted list of paths wrk draws from, and how many distinct searches it holds."""
    from gstp import create_app
    from gstp.activities.models import Activity
    from gstp.calendar.queries import is_public
    from gstp.editions.services import current_edition
    from gstp.extensions import db
    from gstp.geo.models import Municipality

    app = create_app(app_config(database_url))
    with app.app_context():
        edition = current_edition()
        public = sa.and_(is_public(), Activity.edition_id == edition.id)
        ids = db.session.scalars(sa.select(Activity.id).where(public).order_by(Activity.id)).all()
        places = db.session.execute(
            sa.select(Municipality.name, Municipality.region_code).join(
                Activity, Activity.municipality_code == Municipality.code).where(public)
            .distinct().order_by(Municipality.name)).all()
        db.engine.dispose()
    texts = WORDS + [name for name, _ in places] + [_strip(name) for name, _ in places]
    texts += [f"{rng.choice(WORDS)} {name}" for name, _ in places]
    searches = set()
    for text in texts:
        region = next((code for name, code in places if name in text), None) or "06"
        for args in ({"q": text}, {"q": text, "page": 2}, {"q": text, "region": region},
                     {"q": text, "region": region, "page": 3}):
            searches.add("/activites?" + urlencode(args))
    searches = sorted(searches)
    kinds = {
        "search": searches, "activity": [f"/activites/{i}" for i in rng.sample(ids, 40)],
        "list": ["/activites", "/activites?page=2", "/activites?region=06",
                 "/activites?category=eveil_lecture_ecriture"],
        "home": ["/"], "week": ["/calendrier"], "map": ["/carte"], "feed": ["/calendrier.ics"]}
    lines = []
    for kind, weight in WEIGHTS.items():
        paths = kinds[kind]
        count = max(weight * 60, len(paths)) if kind == "search" else weight * 60
        lines += [paths[n % len(paths)] for n in range(count)]
    rng.shuffle(lines)
    return lines, len(searches)


class Writer(threading.Thread):
    """Edits one published activity per second through the ORM, as an organizer would."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stopped, self.edits, self.errors = database_url, threading.Event(), 0, []

    def run(self) -> None:
        from gstp import create_app
        from gstp.activities.models import Activity, ActivityState
        from gstp.extensions import db

        app = create_app(app_config(self.url))
        with app.app_context():
            ids = db.session.scalars(sa.select(Activity.id).where(
                Activity.state == ActivityState.PUBLISHED).order_by(Activity.id)).all()
            rng = random.Random(22)
            while not self.stopped.wait(max(0.0, 1 - time.monotonic() % 1)):
                try:
                    activity = db.session.get(Activity, rng.choice(ids))
                    activity.description = f"Modifiée pendant les inscriptions ({self.edits})."
                    db.session.commit()
                    self.edits += 1
                except Exception as error:  # noqa: BLE001 - counted and reported
                    db.session.rollback()
                    self.errors.append(repr(error))
            db.engine.dispose()


def _wrk(port: int, path_or_file: str, mixed: bool, seconds: float = SECONDS) -> dict:
    command = [ensure_debian_command("wrk"), "-t", "2", "-c", str(CLIENTS), "-d", f"{seconds:g}s",
               "--timeout", f"{TIMEOUT:g}s", "-s",
               str(SCRIPT if mixed else ROOT / "bench" / "data" / "wrk_summary.lua")]
    for header in GZIP:
        command += ["-H", header]
    target = f"http://127.0.0.1:{port}{'/' if mixed else path_or_file}"
    command += [target] + (["--", path_or_file] if mixed else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    row = json.loads(output.strip().splitlines()[-1])
    errors = sum(row[k] for k in ("connect", "read", "write", "timeout", "status"))
    return {"requests": row["requests"], "errors": errors,
            "rps": row["requests"] / (row["duration_us"] / 1e6),
            "p50": row["p50"] / 1000, "p95": row["p95"] / 1000, "p99": row["p99"] / 1000,
            "kinds": {k: row[k] for k in ("connect", "read", "write", "timeout", "status")
                      if row[k]}}


def _size(activities: int, workers: int) -> list[dict]:
    rows = []
    with bench_database("gstp_bench_mixed") as url, \
            tempfile.TemporaryDirectory(prefix="gstp-mixed-") as workdir:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
               "PUBLIC_BASE_URL": "http://gstp.example",
               "SESSION_COOKIE_SECURE": "0", "POSTERS_DIR": str(Path(workdir) / "posters"),
               "PYTHONPATH": str(ROOT)}
        env.pop("GSTP_DEMO", None)
        _flask(env, "init")
        _flask(env, "demo", "--activities", str(activities))
        lines, searches = mix(url, random.Random(activities))
        paths_file = Path(workdir) / "paths.txt"
        paths_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\n{activities} demo activities: {len(lines)} weighted lines, "
              f"{len(set(lines))} distinct URLs of which {searches} searches", flush=True)
        with _gunicorn(env, workers) as port:
            _wrk(port, str(paths_file), True, WARM_UP_SECONDS)  # imports, pools, first builds
            _drain([port])
            runs = [("static file (baseline)", BASELINE, False, False),
                    ("mix, no edit", str(paths_file), True, False),
                    ("mix, one edit per second", str(paths_file), True, True)]
            # One kind alone, for its own worker CPU per answer (the mix's is an average).
            runs += [(f"{kind} alone, one edit per second", path, False, True)
                     for kind, path in ALONE.items()]
            for label, target, mixed, writing in runs:
                writer = Writer(url) if writing else None
                if writer:
                    writer.start()
                workers_cpu = cpu_seconds(child_pids(SERVERS[port].pid))
                row = _wrk(port, target, mixed)
                # The workers' own CPU per answer: steadier than rates on a shared machine.
                row["cpu_ms"] = 1000 * (cpu_seconds(child_pids(SERVERS[port].pid))
                                        - workers_cpu) / max(row["requests"], 1)
                if writer:
                    writer.stopped.set()
                    writer.join()
                    row["edits"], row["writer_errors"] = writer.edits, writer.errors
                _drain([port])
                rows.append({"activities": activities, "label": label, **row})
                print(f"  {label}: {row['rps']:,.0f} req/s, p95 {row['p95']:.1f} ms, "
                      f"{row['cpu_ms']:.2f} ms of worker CPU per answer", flush=True)
    base = next(r["rps"] for r in rows if r["label"].startswith("static"))
    for row in rows:
        row["ratio"] = row["rps"] / base
    return rows


def main() -> None:
    ensure_debian_command("wrk")
    configured = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers = int(os.environ.get("BENCH_WORKERS", configured["workers"]))
    print(f"gunicorn.conf.py: {workers} {configured['worker_class']} workers x "
          f"{configured['threads']} thread(s), Python {platform.python_version()}; wrk 2 "
          f"threads, {CLIENTS} clients, {SECONDS:g} s per run, {TIMEOUT:g} s client timeout")
    rows = [row for size in SIZES for row in _size(size, workers)]
    print("\n| activities | run | requests | errors | req/s | p50 ms | p95 ms | p99 ms "
          "| worker CPU ms/answer | vs static | edits | target |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    missed = []
    for row in rows:
        verdict = "baseline"
        if row["label"].startswith("mix") and "edits" in row:
            met = (row["errors"] == 0 and not row["writer_errors"] and row["ratio"] >= MIN_RATIO
                   and row["p95"] < MAX_P95_MS)
            verdict = "met" if met else "MISSED"
            if not met:
                missed.append(f"{row['activities']} activities")
        elif not row["label"].startswith("static"):
            verdict = "—"
        errors = f"{row['errors']:,}" + (f" {row['kinds']}" if row["errors"] else "")
        print(f"| {row['activities']:,} | {row['label']} | {row['requests']:,} | {errors} | "
              f"{row['rps']:,.0f} | {row['p50']:,.1f} | {row['p95']:,.1f} | {row['p99']:,.1f} | "
              f"{row['cpu_ms']:.2f} | {row['ratio']:.2f} | {row.get('edits', '')} | {verdict} |",
              flush=True)
        for error in row.get("writer_errors", [])[:3]:
            print(f"  writer error: {error}")
    if missed and os.environ.get("BENCH_STRICT") == "1":
        raise SystemExit(f"targets missed at {', '.join(missed)}")


if __name__ == "__main__":
    main()
