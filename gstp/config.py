"""Configuration read from the environment, with a test variant."""
import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def database_url(raw: str | None) -> str:
    """DATABASE_URL with the psycopg 3 driver; SQLite under instance/ when unset."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'gstp.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105 - refused in production by create_app
# `make run` (local demo over plain HTTP) sets GSTP_DEMO=1: default secret and insecure cookies.
DEMO = _bool("GSTP_DEMO")
_HTTPS = not (DEMO or _bool("FLASK_DEBUG"))


# Public pages show this default in the visitor's language (a translated message).
DEFAULT_TILE_ATTRIBUTION = "&copy; les contributeurs d'OpenStreetMap"


class Config:
    """Production-like defaults; every secret and service comes from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    GSTP_DEMO = DEMO
    # In the demo, mail leaves only for this domain (demo accounts); the worker holds the
    # rest, e.g. letters to real officials of the built-in directory.
    DEMO_MAIL_DOMAIN = os.environ.get("DEMO_MAIL_DOMAIN", "demo.gstp.example")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Seconds to wait for PostgreSQL to accept a connection: a host that drops packets
    # (network cut) answers 503 after this instead of holding a worker until its timeout.
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    # Required in production (create_app refuses to start without it); unset elsewhere,
    # links follow the address the app is reached at (see gstp.mail.services).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "gstp" / "translations")
    LANGUAGES = ("fr", "en")
    # Public pages built once per public data version (gstp/pagecache/); off only to
    # measure what a page costs to build. Bytes kept per process.
    GSTP_PAGE_CACHE = _bool("GSTP_PAGE_CACHE", True)
    GSTP_PAGE_CACHE_BYTES = int(os.environ.get("GSTP_PAGE_CACHE_BYTES", 128 * 1024 * 1024))
    # The same pages shared by the workers of one machine through files (pagecache/files.py):
    # a directory, instance/pages when empty, "off" for none.
    GSTP_PAGE_FILES = (None if os.environ.get("GSTP_PAGE_FILES") == "off"
                       else os.environ.get("GSTP_PAGE_FILES", ""))

    # Cookies only over HTTPS in production; SESSION_COOKIE_SECURE=0 turns that off.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", _HTTPS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30")))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    # Strict-Transport-Security max-age, sent when the site is served over HTTPS.
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0
    # The design has no file upload: 1 MiB is far above any form.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    WTF_CSRF_TIME_LIMIT = None
    # Re-encoded activity posters; instance/posters when empty (see gstp.activities.posters).
    POSTERS_DIR = os.environ.get("POSTERS_DIR", "")
    # pg_dump and pg_restore of `gstp backup` / `gstp restore`; from the PATH when empty.
    PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")
    # Spreadsheet imports waiting for their confirmation; instance/imports when empty.
    IMPORTS_DIR = os.environ.get("IMPORTS_DIR", "")
    # Number of reverse proxies in front of gunicorn whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Attempts per client: {scope: {"per_minute": n, "per_hour": n}}, see gstp.security.ratelimit.
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # "login" counts per address (minute and hour) and per account (minute only: a stranger
    # delays its owner at most a minute); "login-device" per trusted browser (device cookie).
    RATELIMITS = {
        "login": {"per_minute": 10, "per_hour": 60},
        "login-device": {"per_minute": 10, "per_hour": 60},
    }
    # Shortest time (seconds) a person takes to fill a form protected by HoneypotMixin.
    HONEYPOT_MIN_SECONDS = float(os.environ.get("HONEYPOT_MIN_SECONDS", "3"))

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    # Seconds each SMTP step may wait for the server before the attempt counts as failed.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    # Outbox pages readable by anyone (not only staff): the local demo has no mail server.
    MAIL_OUTBOX_OPEN = _bool("MAIL_OUTBOX_OPEN", DEMO)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Grande semaine des tout-petits <ne-pas-repondre@gstp.example>"
    )

    # "offline" uses the shipped Québec gazetteer; "nominatim" asks NOMINATIM_URL first.
    GEOCODER = os.environ.get("GEOCODER", "offline")
    NOMINATIM_URL = os.environ.get("NOMINATIM_URL", "https://nominatim.openstreetmap.org")
    NOMINATIM_USER_AGENT = os.environ.get(
        "NOMINATIM_USER_AGENT", "gstp/0.1 (Grande semaine des tout-petits)"
    )
    NOMINATIM_MIN_INTERVAL = float(os.environ.get("NOMINATIM_MIN_INTERVAL", "1.0"))
    # One attempt per request, at most this many seconds: a submission never waits longer
    # for Nominatim; on failure the offline answer stands in until `gstp regeocode`.
    NOMINATIM_TIMEOUT = float(os.environ.get("NOMINATIM_TIMEOUT", "3"))

    # Law 25: the person in charge of protecting personal information, published on the
    # privacy page (/confidentialite); title required, name optional, contact an address.
    PRIVACY_OFFICER_TITLE = os.environ.get(
        "PRIVACY_OFFICER_TITLE", "Responsable de la protection des renseignements personnels")
    PRIVACY_OFFICER_NAME = os.environ.get("PRIVACY_OFFICER_NAME", "")
    PRIVACY_OFFICER_CONTACT = os.environ.get("PRIVACY_OFFICER_CONTACT",
                                             "confidentialite@gstp.example")
    # Retention (`flask gstp purge-personal-data`), in days.
    RETENTION_UNVERIFIED_DAYS = int(os.environ.get("RETENTION_UNVERIFIED_DAYS", "30"))
    RETENTION_INACTIVE_DAYS = int(os.environ.get("RETENTION_INACTIVE_DAYS", str(3 * 365)))
    RETENTION_NOTICE_DAYS = int(os.environ.get("RETENTION_NOTICE_DAYS", "30"))
    RETENTION_OUTBOX_DAYS = int(os.environ.get("RETENTION_OUTBOX_DAYS", "180"))
    # Letters and invitations keep their outbox record; its copy of the text goes too if set.
    RETENTION_ERASE_LETTER_BODIES = _bool("RETENTION_ERASE_LETTER_BODIES")

    # Map tiles (the only outside resource a page loads); attribution shown on every map.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION)


class TestConfig(Config):
    """Isolated settings for the test suite; the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - test only
    WTF_CSRF_ENABLED = False
    MAIL_SUPPRESS_SEND = False
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://localhost"
    MAP_TILE_URL = ""  # no outside requests from browser tests
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    HSTS_SECONDS = 0
    RATELIMIT_ENABLED = False  # tests of the limiter turn it on
    HONEYPOT_MIN_SECONDS = 0
    HONEYPOT_ENABLED = False  # like CSRF: the honeypot tests switch it on
    MAIL_OUTBOX_OPEN = False
    GSTP_PAGE_FILES = None  # the app fixture gives each run its own directory
