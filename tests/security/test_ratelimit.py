"""Rate limits counted in the database, on the real login form."""
import threading

import pytest
import sqlalchemy as sa

from gstp.extensions import db
from gstp.security.models import RateLimitCounter
from gstp.security.ratelimit import hit, rate_limit
from tests.factories import TEST_PASSWORD, StaffFactory
from tests.security import pin_limiter_clock


@pytest.fixture
def limits_on(app, monkeypatch):
    """Turn the limiter on with small login limits for one test."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMITS", {"login": {"per_minute": 3, "per_hour": 5}})
    pin_limiter_clock(monkeypatch)


def _attempt(client, email="equipe@gstp.example", password="mauvais",  # noqa: S107
             ip="198.51.100.1"):
    return client.post("/connexion", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_login_refused_with_429_after_the_limit(client, limits_on):
    StaffFactory(email="equipe@gstp.example")
    for _ in range(3):
        assert _attempt(client).status_code == 200
    response = _attempt(client)
    assert response.status_code == 429
    assert "Trop de requêtes" in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Even the right password waits: the limit is checked before the password.
    assert _attempt(client, password=TEST_PASSWORD).status_code == 429


def test_same_email_from_many_addresses_is_limited(client, limits_on):
    for n in range(3):
        assert _attempt(client, ip=f"198.51.100.{n}").status_code == 200
    assert _attempt(client, ip="198.51.100.99").status_code == 429
    # Another account from a fresh address is not affected.
    assert _attempt(client, email="autre@gstp.example", ip="203.0.113.5").status_code == 200


def test_reading_the_login_page_is_not_counted(client, limits_on):
    for _ in range(6):
        assert client.get("/connexion").status_code == 200


def test_limits_off_in_tests_by_default(client):
    for _ in range(12):
        assert _attempt(client).status_code == 200


def test_hourly_limit_applies_across_minutes(app):
    now = 1_800_000_000.0
    counts = [hit("essai", "k", 3600, now=now + minute * 60)[0] for minute in range(4)]
    assert counts == [1, 2, 3, 4]
    assert [hit("essai", "k", 60, now=now + minute * 60)[0] for minute in range(4)] == [1] * 4


def test_finished_windows_are_purged(app):
    old = 1_800_000_000.0
    hit("essai", "ancien", 60, now=old)
    hit("essai", "nouveau", 60, now=old + 3600)  # a new window: purge runs
    keys = db.session.scalars(sa.select(RateLimitCounter.window_start)).all()
    assert keys == [int((old + 3600) // 60 * 60)]


def test_count_survives_a_failing_view(app, limits_on, client):
    @rate_limit("boom", per_minute=100)
    def failing_view():
        db.session.add(RateLimitCounter(scope="x", key_hash="y", window_seconds=1,
                                        window_start=0, hits=1, expires_at=1))
        raise RuntimeError("the view fails")

    with app.test_request_context("/", method="POST"):
        with pytest.raises(RuntimeError):
            failing_view()
        db.session.rollback()
    scopes = db.session.scalars(sa.select(RateLimitCounter.scope)).all()
    assert scopes == ["boom"]  # the view's own row is gone, the count stayed


def test_concurrent_hits_are_all_counted(app):
    """Several threads (separate connections, like separate workers) never lose a hit."""
    errors = []

    def worker():
        with app.app_context():
            try:
                for _ in range(10):
                    hit("concurrence", "k", 3600, now=1_800_000_000.0)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = db.session.scalar(sa.select(RateLimitCounter.hits).where(
        RateLimitCounter.scope == "concurrence"))
    assert total == 40


def test_unknown_key_is_a_programming_error():
    with pytest.raises(ValueError):
        rate_limit("x", per_minute=1, key="cookie")
