"""nginx in front of the app servers, with the shipped configuration of deploy/nginx/.

The bench renders the production files (cache, server snippet) with its own loopback
ports and paths instead of writing a configuration of its own: what is measured is what
docs/deploy.md tells to install. Only the TLS server block (deploy/nginx/gstp-site.conf)
is replaced by a plain-HTTP one on a free port.
"""
import http.client
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

from bench.support import ROOT, ensure_debian_command, free_port, stop, wait_for_http

DEPLOY = ROOT / "deploy" / "nginx"
SHIPPED = ("gstp-cache.conf", "gstp-server.conf", "gstp-site.conf")
# Lines of the shipped files the bench swaps for its own (production value, bench value).
UPSTREAM_LINE = re.compile(r"^(\s*)server [0-9.:\[\]a-z]+( [^;\n]*)?;$", re.MULTILINE)
CACHE_PATH = "/var/cache/nginx-gstp"
STATIC_DIR = "/srv/gstp/app/static/"
POSTERS_DIR = "/srv/gstp/posters/"
MIME_TYPES = "/etc/nginx/mime.types"  # from Debian's nginx package
LOG_LINE = re.compile(r'"[A-Z]+ (\S+) HTTP/[0-9.]+" (\d{3}) \d+ cache=(\S*)')


def _replace_once(text: str, old: str, new: str, name: str) -> str:
    """Swap one production value; a shipped file that lost it stops the bench."""
    if text.count(old) != 1:
        raise RuntimeError(f"deploy/nginx/{name}: expected `{old}` once")
    return text.replace(old, new)


def render(workdir: Path, app_ports: list[int], posters_dir: Path, port: int) -> Path:
    """Write nginx.conf for the bench (shipped files, bench ports and paths); returns it."""
    cache = (DEPLOY / "gstp-cache.conf").read_text()
    servers = UPSTREAM_LINE.findall(cache)
    if len(servers) != len(app_ports):
        raise RuntimeError(f"deploy/nginx/gstp-cache.conf: {len(servers)} app servers, "
                           f"the bench starts {len(app_ports)}")
    ports = iter(app_ports)
    cache = UPSTREAM_LINE.sub(lambda m: f"{m[1]}server 127.0.0.1:{next(ports)}{m[2] or ''};",
                              cache)
    cache = _replace_once(cache, CACHE_PATH, str(workdir / "cache"), "gstp-cache.conf")
    server = (DEPLOY / "gstp-server.conf").read_text()
    server = _replace_once(server, STATIC_DIR, f"{ROOT / 'static'}/", "gstp-server.conf")
    server = _replace_once(server, POSTERS_DIR, f"{posters_dir}/", "gstp-server.conf")
    (workdir / "gstp-cache.conf").write_text(cache)
    (workdir / "gstp-server.conf").write_text(server)
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    include {workdir}/gstp-cache.conf;
    server {{
        listen 127.0.0.1:{port};
        access_log {workdir}/access.log gstp_cache;
        include {workdir}/gstp-server.conf;
    }}
}}
""")
    return conf


def check_config(conf: Path) -> str:
    """`nginx -t` on the rendered configuration; its message, or the bench stops."""
    nginx = ensure_debian_command("nginx")
    result = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(conf.parent)],
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"nginx -t failed:\n{result.stderr}")
    return result.stderr.strip().splitlines()[-1]


@contextmanager
def nginx_front(workdir: Path, app_ports: list[int], posters_dir: Path):
    """nginx on a free port in front of the app servers; yields (port, access log path)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = render(workdir, app_ports, posters_dir, port)
    print(f"nginx -t: {check_config(conf)}")
    process = subprocess.Popen([ensure_debian_command("nginx"), "-c", str(conf),
                                "-p", str(workdir), "-g", "daemon off;"])
    try:
        wait_for_http(port, "/static/css/main.css")
        yield port, workdir / "access.log"
    finally:
        stop(process)


def cache_statuses(log: Path, offset: int, path: str) -> dict:
    """Count of each X-Cache-Status for `path` in the access log after byte `offset`."""
    counts: dict = {}
    with log.open("rb") as handle:
        handle.seek(offset)
        for line in handle.read().decode("utf-8", "replace").splitlines():
            match = LOG_LINE.search(line)
            if match and match[1] == path:
                status = match[3] if match[3] != "-" else "none"
                counts[status] = counts.get(status, 0) + 1
    return counts


def probe(port: int, path: str, method: str = "GET", headers: dict | None = None) -> tuple:
    """(status, X-Cache-Status, Cache-Control) of one request through nginx."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return (response.status, response.getheader("X-Cache-Status") or "none",
            response.getheader("Cache-Control") or "")


def doc_mismatches() -> list[str]:
    """Shipped files docs/deploy.md does not show verbatim (they must not drift apart)."""
    doc = (ROOT / "docs" / "deploy.md").read_text()
    return [name for name in SHIPPED if (DEPLOY / name).read_text().strip() not in doc]
