"""SMTP for the outbox worker: every connection has a timeout, every error a kind."""
import smtplib
from dataclasses import dataclass

from flask import current_app
from flask_mail import Connection, Mail


class TimeoutConnection(Connection):
    """Flask-Mail's connection, opened with a socket timeout (MAIL_TIMEOUT seconds).

    Flask-Mail builds smtplib.SMTP(server, port) without one: a server that accepts the
    connection and never answers would block the worker forever.
    """

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, STARTTLS and log in like Flask-Mail, with the timeout on the socket."""
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=self.timeout)
        host.set_debuglevel(int(state.debug))
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is None:
            return
        if exc_type is None:
            self.host.quit()
        else:
            # After a failure QUIT could wait another timeout, or raise and hide the
            # server's refusal behind a disconnection: just drop the connection.
            self.host.close()


class TimeoutMail(Mail):
    """Flask-Mail whose connections use TimeoutConnection."""

    def connect(self) -> TimeoutConnection:
        """Open a connection to the mail host with the configured timeout."""
        app = self.app or current_app
        return TimeoutConnection(app.extensions["mail"], float(app.config["MAIL_TIMEOUT"]))


@dataclass(frozen=True)
class SendError:
    """Why a message was not sent, and whether trying again may help."""

    permanent: bool
    reason: str


# Errors about the server or our account with it, not about the message: even with a
# 5xx code (530 authentication required, 554 no service), a later attempt may succeed.
SERVER_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def classify(error: Exception) -> SendError:
    """Sort a sending error: a 5xx reply to the message (sender, recipient, data) is final.

    Connection errors, timeouts and 4xx replies are temporary. An error raised while
    building the message (not an SMTP or network error) cannot change by waiting either.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values()) or [(0, b"")]
        permanent = all(code >= 500 for code, _text in replies)
        return SendError(permanent, "; ".join(_reply(code, text) for code, text in replies))
    if isinstance(error, smtplib.SMTPResponseException):
        reason = _reply(error.smtp_code, error.smtp_error)
        return SendError(error.smtp_code >= 500 and not isinstance(error, SERVER_ERRORS), reason)
    if isinstance(error, smtplib.SMTPException | OSError):
        return SendError(False, f"{type(error).__name__}: {error}".rstrip(": "))
    return SendError(True, f"{type(error).__name__}: {error}".rstrip(": "))
