"""Helpers shared by the benchmarks: a throw-away PostgreSQL database, app settings, ports."""
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
# A role allowed to create databases (the one `make test` and `make bench` set up).
ADMIN_URL = os.environ.get("GSTP_BENCH_DATABASE",
                           "postgresql+psycopg://gstp:gstp@127.0.0.1:5432/postgres")


def app_config(database_url: str, **extra) -> dict:
    """Settings for create_app in a bench: a random SECRET_KEY (no GSTP_DEMO needed), plain HTTP."""
    return {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secrets.token_hex(32),
            "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "PUBLIC_BASE_URL": "http://gstp.example", **extra}


def wait_for_http(port: int, path: str = "/", seconds: float = 60) -> None:
    """Wait until 127.0.0.1:port answers `path` with a 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answers {path} on port {port}")


def stop(process: subprocess.Popen) -> None:
    """Terminate a server started by a bench, killing it if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_debian_command(command: str) -> str:
    """Path of a command from Debian's package of the same name, installed when missing."""
    found = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for apt in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", command]):
            subprocess.run(apt, check=True, stdout=subprocess.DEVNULL, env=env)
        found = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    return found


def ensure_postgres() -> None:
    """Start the local PostgreSQL server when it does not answer."""
    try:
        sa.create_engine(ADMIN_URL).connect().close()
    except sa.exc.OperationalError:
        subprocess.run([str(ROOT / "scripts" / "ensure-test-services.sh")], check=True)


def create_database(prefix: str = "gstp_bench") -> tuple[str, str]:
    """Create an empty database; returns (name, URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.engine.make_url(ADMIN_URL).set(database=name)
    return name, url.render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    """Drop a bench database, closing its connections."""
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def bench_database(prefix: str = "gstp_bench"):
    """A fresh database for the length of a benchmark; yields its URL."""
    ensure_postgres()
    name, url = create_database(prefix)
    try:
        yield url
    finally:
        drop_database(name)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


WRK_SCRIPT = ROOT / "bench" / "data" / "wrk_summary.lua"
# What browsers and calendar apps send: the app and nginx answer them compressed.
GZIP = ("Accept-Encoding: gzip",)


def wrk(port: int, path: str, *, clients: int, seconds: float, timeout: float = 5,
        headers: tuple[str, ...] = GZIP) -> dict:
    """wrk (2 threads) holding `clients` keep-alive connections for `seconds`: its totals."""
    command = [ensure_debian_command("wrk"), "-t", "2", "-c", str(clients), "-d", f"{seconds:g}s",
               "--timeout", f"{timeout:g}s", "-s", str(WRK_SCRIPT)]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], check=True,
                            capture_output=True, text=True).stdout
    row = json.loads(output.strip().splitlines()[-1])
    kinds = {kind: row[kind] for kind in ("connect", "read", "write", "timeout", "status")
             if row[kind]}
    return {"path": path, "clients": clients, "requests": row["requests"],
            "errors": sum(kinds.values()), "kinds": kinds,
            "rps": row["requests"] / (row["duration_us"] / 1e6),
            "mbps": row["bytes"] / row["duration_us"],  # MB/s: bytes per microsecond
            "p50": row["p50"] / 1000, "p95": row["p95"] / 1000, "p99": row["p99"] / 1000}


def _stat_fields(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()  # after "(command name)"


def child_pids(parent: int) -> list[int]:
    """Processes whose parent is `parent` (gunicorn's workers), from /proc (Linux)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_stat_fields(int(entry))[1]) == parent:
                    pids.append(int(entry))
            except (OSError, IndexError):
                continue  # ended meanwhile
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time these processes used so far (ended ones count nothing)."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")
