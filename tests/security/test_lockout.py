"""No lockout by strangers: guesses are slowed, the account's owner still signs in."""
import pytest
import sqlalchemy as sa

from gstp.audit.models import AuditEntry
from gstp.config import Config
from gstp.extensions import db
from gstp.security.devices import COOKIE_NAME
from tests.factories import TEST_PASSWORD, StaffFactory
from tests.security import pin_limiter_clock

EMAIL = "equipe@gstp.example"


@pytest.fixture
def production_limits(app, monkeypatch):
    """The limiter on, with the production values of the configuration; its clock."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMITS", Config.RATELIMITS)
    return pin_limiter_clock(monkeypatch)


def _sign_in(client, *, password=TEST_PASSWORD, ip="192.0.2.10", email=EMAIL):
    return client.post("/connexion", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def _attack(app, attempts: int) -> list[int]:
    """`attempts` wrong passwords from many addresses (3 each), as a botnet would."""
    stranger = app.test_client()
    return [_sign_in(stranger, password="devine", ip=f"10.{n // 750}.{n // 3 % 250}.{n % 3 + 1}"
                     ).status_code for n in range(attempts)]


def _known_browser(app):
    """A browser in which the owner signed in before (and signed out since)."""
    browser = app.test_client()
    assert _sign_in(browser).status_code == 302
    assert browser.get_cookie(COOKIE_NAME) is not None
    browser.post("/deconnexion")
    return browser


def test_a_thousand_guesses_do_not_lock_the_owner_out(app, production_limits):
    StaffFactory(email=EMAIL)
    known = _known_browser(app)
    clock = production_limits
    started = clock.time()
    statuses = _attack(app, 1000)
    # The account's limit counts in clock minutes: on a loaded machine the attack spans more.
    minutes = int(clock.time() // 60) - int(started // 60) + 1
    assert set(statuses) == {200, 429}  # slowed: most guesses are refused unheard
    assert statuses.count(200) <= (minutes + 1) * Config.RATELIMITS["login"]["per_minute"]

    # From the browser that signed in before: at once.
    assert _sign_in(known, ip="198.51.100.7").status_code == 302

    # From a new browser: delayed by the per-account minute, not locked for an hour.
    new_browser = app.test_client()
    response = _sign_in(new_browser, ip="198.51.100.8")
    if response.status_code == 429:
        wait = int(response.headers["Retry-After"])
        assert 1 <= wait <= 60
        clock.advance(wait)
        response = _sign_in(new_browser, ip="198.51.100.8")
    assert response.status_code == 302

    # Staff read about the repeated failures in the journal.
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "account.failed_logins"))
    assert entry is not None and entry.details["failed_logins"] >= 5
    staff = app.test_client()
    _sign_in(staff, ip="198.51.100.9")
    page = staff.get("/equipe/journal").get_data(as_text=True)
    assert "échecs de connexion répétés" in page
    assert EMAIL in page


def test_a_trusted_browser_is_limited_on_its_own(app, production_limits):
    """A stolen device cookie does not give unlimited guesses either."""
    StaffFactory(email=EMAIL)
    known = _known_browser(app)
    allowed = Config.RATELIMITS["login-device"]["per_minute"]
    statuses = [_sign_in(known, password="devine", ip=f"203.0.113.{n}").status_code
                for n in range(allowed + 1)]
    assert statuses[:allowed] == [200] * allowed
    assert statuses[-1] == 429


def test_a_device_cookie_trusts_only_its_own_account(app, production_limits):
    StaffFactory(email=EMAIL)
    StaffFactory(email="autre@gstp.example")
    known = _known_browser(app)
    per_minute = Config.RATELIMITS["login"]["per_minute"]
    # Guesses on another account from that browser count for that account.
    for n in range(per_minute):
        _sign_in(known, email="autre@gstp.example", password="devine", ip=f"203.0.113.{n}")
    response = _sign_in(known, email="autre@gstp.example", ip="203.0.113.200")
    assert response.status_code == 429


def test_a_forged_device_cookie_is_ignored(app, production_limits):
    StaffFactory(email=EMAIL)
    _attack(app, 40)
    forged = app.test_client()
    forged.set_cookie(COOKIE_NAME, "W1siYWJjIiwiZGVmIl1d.invalide.signature")
    assert _sign_in(forged, ip="198.51.100.20").status_code == 429
