"""Helpers of the public calendar tests: an edition in the future and activities placed in it."""
import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import template_rendered

from gstp import create_app
from gstp.activities.models import ActivityState, Category, Occurrence
from gstp.calendar.feed_events import event_cache
from gstp.extensions import db
from tests.conftest import IsolatedClient, TestConfig, _config_dict
from tests.factories import ActivityFactory, EditionFactory, OrganizationFactory

TORONTO = ZoneInfo("America/Toronto")
# Every process-wide memo a page may use: dropped before each page built from scratch.
_MEMOS = ("gstp.calendar.memo", "gstp.calendar.carry.tokens", "gstp.calendar.change_log")
BLANC_SABLON = ZoneInfo("America/Blanc-Sablon")
# The random-change tests draw one seed per database's run: `make test` runs both, so
# together they try two orders of the changes, each at the cost of one.
CHANGE_SEED = 1 if os.environ.get("GSTP_TEST_DATABASE", "sqlite") == "sqlite" else 2


@pytest.fixture(autouse=True)
def _empty_event_cache():
    """Each test starts with no event kept, so it can count what a feed serializes."""
    event_cache.clear()
    yield
    event_cache.clear()


@pytest.fixture
def edition():
    """Next year's edition: current, and its week still to come whatever today is."""
    return EditionFactory(year=date.today().year + 1)


def occurrence_on(edition, *, day: int = 2, hour: int = 10, minutes: int = 90,
                  zone: ZoneInfo = TORONTO) -> Occurrence:
    """An occurrence on the given day of the edition week (0 = Sunday), local time."""
    d = edition.starts_on + timedelta(days=day)
    start = datetime(d.year, d.month, d.day, hour, 0, tzinfo=zone)
    return Occurrence(starts_at=start, ends_at=start + timedelta(minutes=minutes),
                      time_zone=zone.key)


def make_activity(edition, **kwargs):
    """A published activity of this edition (factory defaults: Québec, early literacy)."""
    return ActivityFactory(edition=edition, **kwargs)


def varied_activities(edition, count: int, *, submitted_every: int = 0) -> list:
    """Activities of two organizations over three regions, two categories, every weekday
    and several hours (each `submitted_every`-th pending): what the carrying tests change."""
    biblio = OrganizationFactory(name="Bibliothèque d'Amos", slug="biblio-amos")
    maison = OrganizationFactory(name="Maison de la famille", slug="maison-famille")
    regions = ["03", "06", "08"]
    return [make_activity(edition, title=f"Atelier {n}",
                          description="Contes et comptines." if n % 3 else "Jeux libres.",
                          organization=biblio if n % 2 else maison, region_code=regions[n % 3],
                          category=Category.EARLY_LITERACY if n % 4 else Category.CULTURE,
                          state=ActivityState.SUBMITTED
                          if submitted_every and n % submitted_every == submitted_every - 1
                          else ActivityState.PUBLISHED,
                          occurrences=[occurrence_on(edition, day=n % 7, hour=8 + n % 9)])
            for n in range(count)]


def move_a_day_later(activity) -> None:
    """Its first date, one day later."""
    occurrence = activity.occurrences[0]
    occurrence.starts_at += timedelta(days=1)
    occurrence.ends_at += timedelta(days=1)


ICAL_CLIENT = Path(__file__).resolve().parents[1] / "ical_client"


@pytest.fixture(scope="session")
def icaljs():
    """parse(body) → what ical.js (Thunderbird's parser) reads in a feed, through Node.

    `make test` runs `npm ci` for it; a plain pytest run installs it on first use.
    """
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js is needed for the ical.js checks: `make services` installs it")
    if not (ICAL_CLIENT / "node_modules" / "ical.js").is_dir():
        subprocess.run(  # noqa: S603 - installs tests/ical_client from its lock file
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=ICAL_CLIENT, check=True, timeout=600)

    def parse(body: bytes) -> dict:
        done = subprocess.run(  # noqa: S603 - the project's own script
            [node, str(ICAL_CLIENT / "parse.mjs")], input=body,
            capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)
    return parse


@contextmanager
def rendered_templates(application):
    """Names of the templates `application` renders meanwhile."""
    names = []

    def note(_sender, template, context, **_extra):
        names.append(template.name)
    template_rendered.connect(note, application)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, application)


@pytest.fixture
def renders(app):
    """Names of the templates rendered while the test runs."""
    with rendered_templates(app) as names:
        yield names


@pytest.fixture(scope="module")
def scratch_app(database_url):
    """A second app over the same database, emptied of what it kept before each page."""
    application = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": database_url,
                              "GSTP_PAGE_FILES": None})  # nothing shared with the other app
    application.test_client_class = IsolatedClient
    yield application
    with application.app_context():
        db.engine.dispose()


def from_scratch(scratch_app, url: str, **kwargs):
    """The answer to url of another app, built from scratch (its memos, pages and the
    feeds' events dropped first)."""
    for name in _MEMOS:
        scratch_app.extensions.pop(name, None)
    scratch_app.extensions["gstp_page_store"].clear()
    event_cache.clear()
    return scratch_app.test_client().get(url, **kwargs)
