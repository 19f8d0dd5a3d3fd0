"""Load: 200 concurrent keep-alive clients on the public pages and feeds, served by gunicorn
(4 workers) on PostgreSQL with demo data, against a static file served by the same gunicorn.

`make bench ONLY=load`. The clients are wrk's (a C load generator, installed from Debian when
missing): a Python client with 200 threads used most of a core itself and capped what it
measured. Only 127.0.0.1 is contacted. PAGES lists the public pages and feeds.
"""
import http.client
import json
import os
import platform
import runpy
import secrets
import subprocess
import sys
import time

from bench.support import (
    ROOT,
    create_database,
    drop_database,
    ensure_debian_command,
    ensure_postgres,
    free_port,
)

# Public pages and feeds under load.
PAGES = ["/", "/activites", "/calendrier", "/carte", "/calendrier.ics",
         "/donnees/activites.geojson"]
BASELINE = "/static/css/main.css"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))  # measured, per page
WARM_UP_SECONDS = 3  # per page before measuring: imports, connection pools, caches
WORKERS = 4
DEMO_ACTIVITIES = 1500
WRK_SCRIPT = ROOT / "bench" / "data" / "wrk_summary.lua"


def _flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "gstp", *args],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                       "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_LOGLEVEL": "warning"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", BASELINE)
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _drain(port: int) -> None:
    """Wait until the requests left queued by the last run are served.

    wrk stops with requests still queued; served during the next run, they would count
    against the next page. One more request, queued behind them, answers when they are done.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", BASELINE)
    connection.getresponse().read()
    connection.close()


def _load(wrk: str, port: int, path: str, seconds: int) -> dict:
    """CLIENTS keep-alive connections sending requests back to back for `seconds`."""
    # A 30 s timeout as a browser would wait; wrk's default of 2 s counts slow pages as lost.
    output = subprocess.run(
        [wrk, "-t", "2", "-c", str(CLIENTS), "-d", f"{seconds}s", "--timeout", "30s",
         "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    _drain(port)
    row = json.loads(output.strip().splitlines()[-1])
    kinds = {kind: row[kind] for kind in ("connect", "read", "write", "status", "timeout")
             if row[kind]}
    return {"path": path, "requests": row["requests"], "errors": sum(kinds.values()),
            "error_kinds": kinds, "rps": row["requests"] / (row["duration_us"] / 1e6),
            "p50": row["p50"] / 1000, "p95": row["p95"] / 1000, "p99": row["p99"] / 1000}


def main() -> None:
    wrk = ensure_debian_command("wrk")
    ensure_postgres()
    name, url = create_database()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "1", "PYTHONPATH": str(ROOT)}
    env.pop("GSTP_DEMO", None)
    process = None
    try:
        _flask(env, "init")
        _flask(env, "demo", "--activities", str(DEMO_ACTIVITIES))
        port = free_port()
        process = _start_gunicorn(env, port)
        for path in [BASELINE, *PAGES]:
            _load(wrk, port, path, WARM_UP_SECONDS)
        results = [_load(wrk, port, path, SECONDS) for path in [BASELINE, *PAGES]]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop_database(name)
    base = results[0]
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    print(f"{CLIENTS} clients for {SECONDS} s per page, gunicorn {WORKERS} "
          f"{settings['worker_class']} workers x {settings['threads']} thread(s) on Python "
          f"{platform.python_version()}, {DEMO_ACTIVITIES} demo activities on PostgreSQL")
    print(f"{'path':26} {'req':>6} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'req/s vs static':>16}")
    for row in results:
        print(f"{row['path']:26} {row['requests']:6d} {row['errors']:4d} {row['rps']:8.0f} "
              f"{row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} "
              f"{row['rps'] / base['rps']:16.2f}" + (f"  {row['error_kinds']}"
                                                     if row["errors"] else ""))
    if any(row["errors"] for row in results):
        raise SystemExit("errors under load")


if __name__ == "__main__":
    main()
