"""Queue e-mails in the outbox; the worker (`flask gstp send-mail`) delivers them."""
from urllib.parse import urlsplit

from flask import current_app, render_template
from jinja2 import TemplateNotFound

from gstp.extensions import db
from gstp.mail.models import OutboxMessage


class UnsafeHeader(ValueError):
    """A header value carried a line break (header injection attempt)."""


def _header(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise UnsafeHeader("line break in an e-mail header")
    return value.strip()


def queue_mail(*, to: str, subject: str, template: str, kind: str = "",
               reply_to: str | None = None, **context) -> OutboxMessage:
    """Render templates/email/<template>.txt (and .html when present) into an outbox row.

    Nothing is sent here: the row is committed with the request's change, so a failing
    SMTP server can never lose the change nor the message.
    """
    body_text = render_template(f"email/{template}.txt", **context)
    try:
        body_html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:  # the HTML part is optional
        body_html = None
    message = OutboxMessage(
        to_address=_header(to), subject=_header(subject), body_text=body_text,
        body_html=body_html, reply_to=_header(reply_to) if reply_to else None, kind=kind,
    )
    db.session.add(message)
    db.session.flush()
    return message


def absolute_url(endpoint: str, **values) -> str:
    """Full address of a page for an e-mail, on the public site (PUBLIC_BASE_URL)."""
    # Built from the configured address, not the request's Host header (which a client
    # controls), and usable outside a request (CLI commands, the worker).
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
