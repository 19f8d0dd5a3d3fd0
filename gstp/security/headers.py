"""HTTP security headers added to every response."""
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g


def _tile_origin(tile_url: str) -> str:
    """scheme://host of the map tile server, for img-src; "" when no tiles are used."""
    parts = urlsplit(tile_url or "")
    if not parts.scheme or not parts.hostname:
        return ""
    # Tile URLs may hold a {s} subdomain placeholder: allow the host's subdomains then.
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


def content_security_policy(config, *, frame_ancestors: str = "'none'") -> str:
    """The CSP: only this site's own scripts and styles, map tiles as the one outside image.

    frame_ancestors is "*" only on the embeddable calendar pages (see frameable).
    """
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
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# "Near me" may ask for the position; nothing here needs the camera or the microphone.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


def frameable(view: Callable) -> Callable:
    """Let any site frame this view's answers (the embeddable calendar); every other page
    refuses. A decorator, not a call inside the view: an answer from the page cache must be
    frameable too. Such a response also sets no cookie: it would be a third-party one."""
    @wraps(view)
    def framed(**kwargs):
        g.gstp_frameable = True
        return view(**kwargs)
    return framed


class CookielessFramesSessionInterface:
    """Wraps the app's session interface: never saves the session of a frameable response."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def save_session(self, app, session, response) -> None:
        if g.get("gstp_frameable", False):
            return None
        return self._inner.save_session(app, session, response)


def set_security_headers(response: Response) -> Response:
    """Add the headers unless a view set its own value."""
    config = current_app.config
    headers = response.headers
    frameable = g.get("gstp_frameable", False)
    headers.setdefault("Content-Security-Policy",
                       config["GSTP_CSP_FRAMEABLE" if frameable else "GSTP_CSP"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not frameable:
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={int(config['HSTS_SECONDS'])}; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Compute the policy once and add the headers after every request."""
    app.config["GSTP_CSP"] = content_security_policy(app.config)
    app.config["GSTP_CSP_FRAMEABLE"] = content_security_policy(app.config, frame_ancestors="*")
    app.after_request(set_security_headers)
    app.session_interface = CookielessFramesSessionInterface(app.session_interface)
