"""Queue e-mails in the outbox; the worker (`flask gstp send-mail`) delivers them."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, request
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


# Outside a request and without PUBLIC_BASE_URL (a command in development): `flask run`'s.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def public_base_url() -> str:
    """The public site's address, without a final slash.

    PUBLIC_BASE_URL, which production must set (never the Host header, which a client
    controls); unset, in development or the demo, the address the request came to.
    """
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return LOCAL_BASE_URL


def absolute_url(endpoint: str, **values) -> str:
    """Full address of a page for an e-mail, on the public site (public_base_url)."""
    # Usable outside a request too (CLI commands, the worker).
    base = urlsplit(public_base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
