"""SMTP errors sorted by kind: a permanent refusal of the message, or worth a retry."""
import smtplib
from dataclasses import dataclass


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
