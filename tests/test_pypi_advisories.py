"""The pip-audit fallback: PyPI's project JSON replayed from a local server."""
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pypi_advisories.py"
# The shape of https://pypi.org/pypi/<name>/json, reduced to the keys the script reads.
ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fixed_in": ["99.0"],
            "withdrawn": None, "summary": "Example", "details": "Example", "link": ""}


@pytest.fixture
def pypi():
    """A local PyPI: every project at the installed version; `answers` overrides by name."""
    answers: dict[str, tuple[int, dict]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path.split("/")[2]
            status, body = answers.get(name, (200, {"info": {"version": version(name)},
                                                    "vulnerabilities": []}))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield answers, f"http://127.0.0.1:{server.server_port}/pypi/{{name}}/json"
    server.shutdown()


def _run(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(SCRIPT)], env={"PYPI_PROJECT_URL": url},
        capture_output=True, text=True, timeout=60)


def test_clean_when_no_installed_release_has_an_advisory(pypi):
    answers, url = pypi
    answers["numpy"] = (200, {"info": {"version": "999.0"}, "vulnerabilities": []})
    result = _run(url)
    assert result.returncode == 0, result.stderr
    assert "Not checked" in result.stdout and f"numpy {version('numpy')} (latest 999.0)" \
        in result.stdout


def test_an_advisory_on_an_installed_release_fails(pypi):
    answers, url = pypi
    answers["flask"] = (200, {"info": {"version": version("flask")},
                              "vulnerabilities": [ADVISORY, {**ADVISORY, "id": "OLD",
                                                             "withdrawn": "2099-01-01"}]})
    result = _run(url)
    assert result.returncode == 1
    assert f"VULNERABLE: flask {version('flask')}: PYSEC-2099-1 (fixed in 99.0)" in result.stderr
    assert "OLD" not in result.stderr


def test_an_unreadable_project_is_reported_as_not_checked(pypi):
    answers, url = pypi
    answers["jinja2"] = (404, {"message": "Not Found"})
    result = _run(url)
    assert result.returncode == 2
    assert "Could not read from PyPI: jinja2" in result.stderr
