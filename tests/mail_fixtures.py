"""A real SMTP server for tests: aiosmtpd on localhost, wired into the app's Flask-Mail."""
import email
import email.policy
import re
import socket
import threading
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A localhost TCP port nobody listens on (at the time of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    """aiosmtpd handler keeping every accepted message, parsed; refuses chosen recipients."""

    def __init__(self):
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals: dict[str, str] = {}  # recipient -> SMTP reply to RCPT TO
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address,  # noqa: N802
                          rcpt_options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        with self.lock:
            # policy.default decodes headers: Subject "=?utf-8?q?…" reads back as text.
            self.messages.append(email.message_from_bytes(envelope.content,
                                                          policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """What the `smtp_server` fixture gives: `.port`, `.messages`, `.envelopes`."""

    def __init__(self, controller: Controller, handler: _Collector):
        self._controller = controller
        self._handler = handler
        self.host = controller.hostname
        self.port = controller.port

    @property
    def messages(self) -> list[Message]:
        return self._handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self._handler.envelopes

    def refuse(self, address: str, reply: str = "550 5.1.1 User unknown") -> None:
        """Answer `reply` (a 5xx or 4xx line) to RCPT TO:<address> from now on."""
        self._handler.refusals[address] = reply

    def to(self, address: str) -> list[Message]:
        """Messages whose To header is `address`."""
        return [m for m in self.messages if str(m["To"]) == address]


def text_body(message: Message) -> str:
    """The text/plain part of a received message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def html_body(message: Message) -> str:
    """The text/html part of a received message, decoded ("" when there is none)."""
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def link_paths(message: Message) -> list[str]:
    """Paths of the site's links in the text part (the test app's base is http://localhost)."""
    return re.findall(r"http://localhost(/\S+)", text_body(message))


# Short enough to keep tests fast, long enough for a local server on a busy machine.
TEST_MAIL_TIMEOUT = 0.5


def point_mail_at(app, host: str, port: int) -> dict:
    """Send the app's mail to host:port; returns what to give back to restore_mail."""
    state = app.extensions["mail"]  # Flask-Mail copies the config at init_app
    saved = {"config": {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
                                                     "MAIL_USE_SSL", "MAIL_SUPPRESS_SEND",
                                                     "MAIL_TIMEOUT")},
             "state": {k: getattr(state, k) for k in ("server", "port", "use_tls", "use_ssl",
                                                      "suppress")}}
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False,
                      MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=TEST_MAIL_TIMEOUT)
    state.server, state.port, state.use_tls, state.use_ssl, state.suppress = (
        host, port, False, False, False)
    return saved


def restore_mail(app, saved: dict) -> None:
    """Undo point_mail_at."""
    app.config.update(saved["config"])
    for key, value in saved["state"].items():
        setattr(app.extensions["mail"], key, value)


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1 receiving everything the app sends during the test."""
    handler = _Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = point_mail_at(app, "127.0.0.1", controller.port)
    try:
        yield SmtpServer(controller, handler)
    finally:
        restore_mail(app, saved)
        controller.stop()


@pytest.fixture
def smtp_down(app):
    """The app's mail pointed at a localhost port where nothing listens."""
    port = free_port()
    saved = point_mail_at(app, "127.0.0.1", port)
    try:
        yield port
    finally:
        restore_mail(app, saved)


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts every connection and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)  # so the thread sees `stopped` soon after close()
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)  # held open, unanswered

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def smtp_silent(app):
    """The app's mail pointed at a server that accepts the connection and never answers."""
    server = SilentServer()
    saved = point_mail_at(app, "127.0.0.1", server.port)
    try:
        yield server
    finally:
        restore_mail(app, saved)
        server.close()
