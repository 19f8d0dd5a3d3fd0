"""Configuration read from the environment, with a test variant."""
import os
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


class Config:
    """Production-like defaults; every secret and service comes from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "gstp" / "translations")
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
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

    # Map tiles (the only outside resource a page loads); attribution shown on every map.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION", "&copy; les contributeurs d'OpenStreetMap"
    )


class TestConfig(Config):
    """Isolated settings for the test suite; the database URL is given by the fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105 - test only
    WTF_CSRF_ENABLED = False
    MAIL_SUPPRESS_SEND = False
    SERVER_NAME = None
    PUBLIC_BASE_URL = "http://localhost"
    MAP_TILE_URL = ""  # no outside requests from browser tests
