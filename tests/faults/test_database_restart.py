"""A real PostgreSQL stopped and started under gunicorn while clients read and write.

PostgreSQL run only: a private server (initdb, pg_ctl) on a free port in a temporary
directory, the demo data, gunicorn with 2 workers in front; a reader loop on public pages
and a writer loop submitting activities. Asserted: no 5xx on the public pages built before
the outage (answered stale), 503 with Retry-After elsewhere, no write lost or duplicated,
fresh answers within 1 s of the database accepting connections; then a worker killed with
SIGKILL mid-request and the next requests served.
"""
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa

from gstp.config import PROJECT_ROOT
from tests.faults.private_postgres import PrivatePostgres, free_port, server_binaries

BINARIES = server_binaries()
pytestmark = [
    pytest.mark.skipif(not os.environ.get("GSTP_TEST_DATABASE", "").startswith("postgresql"),
                       reason="restarts a real PostgreSQL: runs in the PostgreSQL run of "
                              "make test (GSTP_TEST_DATABASE=postgresql…), not on SQLite"),
    pytest.mark.skipif(BINARIES is None, reason="no PostgreSQL server under /usr/lib/postgresql"),
]
PUBLIC = ("/activites", "/calendrier", "/calendrier.ics", "/")
# Reader threads; GSTP_FAULT_READERS=20 measures under the load of the issue (BENCHMARKS.md).
READERS = int(os.environ.get("GSTP_FAULT_READERS", "3"))
PASSWORD = "tout-petits-demo"  # noqa: S105 - the demo organizer's printed password
ORGANIZER = "organisme@demo.gstp.example"


class Browser:
    """A tiny HTTP client keeping its cookies, one connection per request (no keep-alive)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: list | None = None, timeout: float = 20):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Connection": "close"}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            from urllib.parse import urlencode
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")


def hidden_fields(html: str) -> list[tuple[str, str]]:
    return [(unescape(name), unescape(value)) for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)]


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return unescape(match.group(1))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Private PostgreSQL with the demo data, gunicorn (2 workers) in front: (pg, port)."""
    pg = PrivatePostgres(BINARIES)
    gunicorn = None
    try:
        pg.start()
        env = {**os.environ, "DATABASE_URL": pg.url, "SECRET_KEY": "essai-de-panne-" * 3,
               "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0", "GEOCODER": "offline",
               "HONEYPOT_MIN_SECONDS": "0", "GUNICORN_WORKERS": "2",
               "PUBLIC_BASE_URL": "http://gstp.example",
               "POSTERS_DIR": str(tmp_path_factory.mktemp("affiches"))}
        env.pop("GSTP_DEMO", None)
        for command in (["init"], ["demo", "--activities", "20"]):
            subprocess.run(  # noqa: S603 - the project's own commands
                [sys.executable, "-m", "flask", "--app", "wsgi", "gstp", *command],
                cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=180)
        port = free_port()
        log = (tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").open("wb")
        gunicorn = subprocess.Popen(  # noqa: S603 - the project's own server
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if Browser(port).request("GET", "/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and gunicorn.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        yield pg, port, gunicorn
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        pg.destroy()


def _warm(port: int) -> None:
    """Every public page built by every worker: concurrent requests reach both."""
    def load():
        for _ in range(8):
            for path in PUBLIC:
                assert Browser(port).request("GET", path)[0] == 200
    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _signed_in_organizer(port: int) -> Browser:
    browser = Browser(port)
    page = browser.request("GET", "/connexion")[2]
    status = browser.request("POST", "/connexion", [
        ("csrf_token", _field(page, "csrf_token")), ("email", ORGANIZER),
        ("password", PASSWORD)])[0]
    assert status == 302
    return browser


def _csrf_token(browser: Browser) -> str:
    status, _headers, page = browser.request("GET", "/mes-activites/nouvelle")
    assert status == 200
    return _field(page, "csrf_token")


def _activity_form(csrf_token: str, number: int, day: str) -> list:
    """The activity form as the page gives it (a new submission token each time)."""
    return [("csrf_token", csrf_token), ("submission_token", secrets.token_urlsafe(24)),
            ("title", f"Essai de panne numéro {number}"),
            ("description", "Lecture d'albums pendant le redémarrage de la base."),
            ("category", "eveil_lecture_ecriture"), ("audience", "familles"),
            ("format", "in_person"), ("language", "fr"), ("is_free", "y"),
            ("venue_name", "Bibliothèque Gabrielle-Roy"), ("address", "350, rue Saint-Joseph Est"),
            ("postal_code", "G1K 3B2"), ("municipality", "Québec (23027)"),
            ("occurrences-0-day", day), ("occurrences-0-starts", "10:00"),
            ("occurrences-0-ends", "11:00"), ("not_duplicate", "y")]


class Loops:
    """The reader and writer loops; each answer noted with the time it came back."""

    def __init__(self, port: int, day: str):
        self.port, self.day = port, day
        self.reads: list[tuple[float, str, int, dict]] = []
        self.sent: dict[str, int] = {}  # submission token -> last status
        self.refused: list[tuple[str, list]] = []  # (token, the form the 503 page gave back)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []

    def read(self):
        number = 0
        while not self.stop.is_set():
            path = PUBLIC[number % len(PUBLIC)]
            number += 1
            try:
                status, headers, _body = Browser(self.port).request("GET", path)
            except OSError as error:
                self.errors.append(error)
                continue
            self.reads.append((time.monotonic(), path, status, headers))

    def write(self, browser: Browser):
        csrf_token = self.csrf_token
        number = 0
        while not self.stop.is_set():
            number += 1
            form = _activity_form(csrf_token, number, self.day)
            token = dict(form)["submission_token"]
            try:
                status, headers, page = browser.request("POST", "/mes-activites/nouvelle", form)
            except OSError as error:
                self.errors.append(error)
                continue
            self.sent[token] = status
            if status == 503:
                assert headers.get("Retry-After")
                self.refused.append((token, hidden_fields(page)))
            time.sleep(0.05)


def _public_engine(pg: PrivatePostgres) -> sa.Engine:
    return sa.create_engine(pg.url, poolclass=sa.pool.NullPool)


def test_database_restart_under_load(server):
    pg, port, _gunicorn = server
    _warm(port)
    with _public_engine(pg).connect() as connection:
        day = connection.execute(sa.text(
            "SELECT starts_on + 2 FROM edition ORDER BY year DESC LIMIT 1")).scalar_one()
    organizer = _signed_in_organizer(port)
    loops = Loops(port, day.isoformat())
    loops.csrf_token = _csrf_token(organizer)
    threads = [threading.Thread(target=loops.read) for _ in range(READERS)]
    threads.append(threading.Thread(target=loops.write, args=(organizer,)))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        pg.stop()
        stopped_at = time.monotonic()
        time.sleep(3)
        # During the outage: a page never built and a signed-in page answer 503.
        never_built = Browser(port).request("GET", "/activites?q=jamais-construite")
        signed_in = organizer.request("GET", "/mes-activites")
        form = _activity_form(loops.csrf_token, 0, loops.day)
        refused = organizer.request("POST", "/mes-activites/nouvelle", form)
        pg.start()
        back_at = time.monotonic()
        time.sleep(3)
    finally:
        loops.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not loops.errors, loops.errors[:3]

    assert refused[0] == 503
    loops.sent[dict(form)["submission_token"]] = 503
    loops.refused.append((dict(form)["submission_token"], hidden_fields(refused[2])))
    for status, headers, body in (never_built, signed_in, refused):
        assert status == 503 and int(headers["Retry-After"]) > 0
        assert "Le site revient dans quelques secondes" in body
        assert "The site will be back in a few seconds" in body
    outage = [r for r in loops.reads if stopped_at <= r[0] <= back_at]
    assert outage, "no read during the outage"
    assert all(status == 200 for _t, _p, status, _h in outage), {
        (p, s) for _t, p, s, _h in outage if s != 200}
    assert any(h.get("X-GSTP-Stale") == "1" for _t, _p, _s, h in outage)
    assert all(status < 500 for _t, _p, status, _h in loops.reads), sorted(
        (round(t - back_at, 2), p, s) for t, p, s, _h in loops.reads if s >= 500)[:10]
    stale_headers = next(h for _t, _p, _s, h in outage if h.get("X-GSTP-Stale"))
    assert "stale-if-error" in stale_headers["Cache-Control"]
    # Fresh within 1 s of the database accepting connections again, on every worker.
    not_fresh = [t for t, _p, s, h in loops.reads if t > back_at and (
        s != 200 or "X-GSTP-Stale" in h)]
    print(f"\n{READERS} readers: {len(loops.reads)} reads, {len(outage)} during the outage "
          f"({sum('X-GSTP-Stale' in h for *_r, h in outage)} stale); last stale answer "
          f"{(max(not_fresh, default=back_at) - back_at) * 1000:.0f} ms after PostgreSQL "
          f"was back; {len(loops.sent)} writes, {len(loops.refused)} refused with 503")
    late = [r for r in loops.reads if r[0] > back_at + 1]
    assert late and all(s == 200 and "X-GSTP-Stale" not in h for _t, _p, s, h in late)

    # Writes: each refused form comes back from the 503 page and is sent again.
    for token, fields in loops.refused:
        assert dict(fields).get("submission_token") == token
        assert any(name == "title" for name, _value in fields)
        assert "password" not in dict(fields)
        status = organizer.request("POST", "/mes-activites/nouvelle", fields)[0]
        assert status in {302, 200}
    with _public_engine(pg).connect() as connection:
        counts = dict(connection.execute(sa.text(
            "SELECT submission_token, count(*) FROM activity WHERE submission_token IS NOT NULL"
            " GROUP BY submission_token")).all())
    accepted = [token for token, status in loops.sent.items() if status == 302]
    assert accepted
    assert set(loops.sent.values()) <= {302, 503}, set(loops.sent.values())
    assert all(counts.get(token) == 1 for token in accepted)  # none lost
    assert all(count == 1 for count in counts.values())  # none twice
    assert all(counts.get(token) == 1 for token, _fields in loops.refused)  # resent: kept


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()]


def test_a_worker_killed_mid_request(server):
    _pg, port, gunicorn = server
    results = []

    def slow_request():
        try:
            results.append(Browser(port).request("GET", "/calendrier.ics?region=06")[0])
        except OSError as error:
            results.append(error)

    requests = [threading.Thread(target=slow_request) for _ in range(2)]
    for thread in requests:
        thread.start()
    time.sleep(0.05)
    for pid in _worker_pids(gunicorn.pid):
        os.kill(pid, signal.SIGKILL)
    for thread in requests:
        thread.join(timeout=30)
    # gunicorn's master starts new workers; the next requests are served.
    deadline = time.monotonic() + 30
    while True:
        try:
            if Browser(port).request("GET", "/activites")[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "no worker came back"
        time.sleep(0.1)
    statuses = [Browser(port).request("GET", path)[0] for path in PUBLIC * 3]
    assert statuses == [200] * len(statuses)
    assert gunicorn.poll() is None
