"""A local HTTP server replaying Nominatim's JSON, standing in for the public service."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

SAMPLE = json.loads((Path(__file__).parent / "data" / "nominatim_search_saint_joseph.json")
                    .read_text(encoding="utf-8"))


# How long a "hang" request keeps the client waiting (or until the server closes).
HANG_SECONDS = 10


class FakeNominatim:
    """Records every request; `mode` is "ok", "empty", "error" or "hang" (never answers)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.mode = "ok"
        self.closing = threading.Event()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                parts = urlsplit(self.path)
                fake.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                      "user_agent": self.headers.get("User-Agent")})
                if fake.mode == "hang":
                    fake.closing.wait(HANG_SECONDS)
                    return
                if fake.mode == "error":
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps(SAMPLE if fake.mode == "ok" else []).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def nominatim(app):
    """Nominatim configured on a local replay server, restored afterwards."""
    fake = FakeNominatim()
    saved = {k: app.config.get(k) for k in ("GEOCODER", "NOMINATIM_URL", "NOMINATIM_MIN_INTERVAL",
                                            "NOMINATIM_TIMEOUT", "NOMINATIM_MAX_WAIT")}
    app.config.update(GEOCODER="nominatim", NOMINATIM_URL=fake.url, NOMINATIM_MIN_INTERVAL=0.3,
                      NOMINATIM_TIMEOUT=2.0, NOMINATIM_MAX_WAIT=1.0)
    yield fake
    app.config.update(saved)
    fake.close()
