"""Cross-cutting protections: headers, rate limits, honeypot, HTML sanitising, bad input."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Wire every protection that applies app-wide."""
    from gstp.security import headers, malformed, sanitize, uploads

    headers.init_app(app)
    uploads.init_app(app)
    malformed.init_app(app)
    sanitize.init_app(app)
