"""HTTP security headers added to every response."""
from urllib.parse import urlsplit

from flask import Flask, Response, current_app


def _tile_origin(tile_url: str) -> str:
    """scheme://host of the map tile server, for img-src; "" when no tiles are used."""
    parts = urlsplit(tile_url or "")
    if not parts.scheme or not parts.hostname:
        return ""
    # Tile URLs may hold a {s} subdomain placeholder: allow the host's subdomains then.
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


def content_security_policy(config) -> str:
    """The CSP: only this site's own scripts and styles, map tiles as the one outside image."""
    img = " ".join(filter(None, ["'self'", "data:", _tile_origin(config.get("MAP_TILE_URL"))]))
    directives = {
        "default-src": "'self'",
        "img-src": img,
        "script-src": "'self'",
        "style-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# "Near me" may ask for the position; nothing here needs the camera or the microphone.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


def set_security_headers(response: Response) -> Response:
    """Add the headers unless a view set its own value."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", config["GSTP_CSP"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={int(config['HSTS_SECONDS'])}; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Compute the policy once and add the headers after every request."""
    app.config["GSTP_CSP"] = content_security_policy(app.config)
    app.after_request(set_security_headers)
