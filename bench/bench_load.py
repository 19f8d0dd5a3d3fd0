"""Load: 200 concurrent keep-alive clients on the public pages, served by gunicorn (4 workers)
on PostgreSQL with demo data, against a static file served by the same gunicorn.

`make bench ONLY=load`. Only 127.0.0.1 is contacted. PAGES lists the public pages and feeds.
"""
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time

from bench.support import ROOT, create_database, drop_database, ensure_postgres, free_port

# Public pages and feeds under load.
PAGES = ["/", "/activites", "/calendrier", "/carte", "/calendrier.ics",
         "/donnees/activites.geojson"]
BASELINE = "/static/css/main.css"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_REQUESTS", "15"))
WORKERS = 4
DEMO_ACTIVITIES = 1500
WARM_UP_REQUESTS = 3  # per client: imports, connection pools and caches; not measured


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


def _client(port: int, path: str, count: int, latencies: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        for attempt in (1, 2):  # a keep-alive connection closed by the server is reopened once
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                if attempt == 2:
                    errors.append("disconnected")
                continue
            except OSError as error:
                errors.append(type(error).__name__)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                break
            latencies.append(time.perf_counter() - started)
            if not 200 <= response.status < 400:
                errors.append(str(response.status))
            break
    connection.close()


def _load(port: int, path: str, requests_per_client: int = REQUESTS_PER_CLIENT) -> dict:
    """CLIENTS clients at once, each sending its requests one after the other."""
    latencies: list[float] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_client, args=(port, path, requests_per_client,
                                                      latencies, errors))
               for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {"path": path, "requests": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors)), "rps": len(latencies) / elapsed,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def main() -> None:
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
            _load(port, path, WARM_UP_REQUESTS)
        results = [_load(port, BASELINE)] + [_load(port, path) for path in PAGES]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop_database(name)
    base = results[0]
    print(f"{CLIENTS} clients x {REQUESTS_PER_CLIENT} requests, gunicorn {WORKERS} workers, "
          f"{DEMO_ACTIVITIES} demo activities on PostgreSQL")
    print(f"{'path':24} {'req':>6} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'req/s vs static':>16}")
    for row in results:
        print(f"{row['path']:24} {row['requests']:6d} {row['errors']:4d} {row['rps']:8.0f} "
              f"{row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f} "
              f"{row['rps'] / base['rps']:16.2f}" + (f"  {row['error_kinds']}"
                                                     if row["errors"] else ""))
    if any(row["errors"] for row in results):
        raise SystemExit("errors under load")


if __name__ == "__main__":
    main()
