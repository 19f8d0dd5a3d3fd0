"""No URL answers 5xx: every route of the URL map, with junk path values and junk query
arguments, as anonymous, as an organizer and as staff.

Routes come from `app.url_map` and argument names from the code, so a new route or a new
argument is walked without editing this test. Each role shares one populated database; a
last walk adds three pages of everything paginated (tests/security/crowd.py) and follows
every « Suivant » link.
"""
import html
import re
from datetime import date
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import AnyConverter, Rule

from gstp.activities.survey import SurveyQuestion
from gstp.config import PROJECT_ROOT
from gstp.extensions import db
from gstp.letters import services as letter_services
from gstp.letters.models import Letter, OfficialConflict
from gstp.mail.models import OutboxMessage
from gstp.privacy.models import Incident
from gstp.stats.models import MediaResult, MetricDefinition, MetricValue, OpEd
from gstp.urlargs import DB_INTEGER_MAX, PATH_CONVERTERS, IdConverter
from tests.activities.helpers import open_edition
from tests.conftest import login
from tests.factories import ActivityFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.letters.helpers import campaign, mayor
from tests.security.crowd import LISTS, crowd

JUNK = ["0", "-1", "²", "١٢", "99999999999999999999", "2147483648", "1e3", "1.5", "'", '"><b>',
        "%", "é", "\x00", "a\nb", " ", "..", "x" * 999, "x" * 2000, "9999-12-31", "0000-00-00",
        "2026-02-30", "2026-W47", "-2026-11-17"]
# The kinds of junk each argument gets: non-ASCII digits, out of range, quotes, NUL, long
# text, impossible or far-away dates, empty, and values a lenient parser might accept.
QUERY_JUNK = ["²", "99999999999999999999", "0", "'", "\x00", "x" * 2000, "9999-12-31",
              "0000-00-00", "2026-02-30", ""]
# Readers of the query string, as written in the code: id_arg("edition"), args.get("lang")…
READER_CALL = re.compile(r'(?:_arg|\bget|getlist|pick)\(\s*(?:[A-Z]\w*,\s*)?"([a-z_]{1,30})"')
EXPECTED_NAMES = {"page", "date", "edition", "editions", "ids", "level", "region", "category",
                  "q", "near", "radius", "official", "status", "statut", "jours", "state",
                  "organization", "target_id", "since", "until", "lang"}
text_junk = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
number_junk = st.integers(min_value=-(2**70), max_value=2**70).map(str)
date_junk = st.dates(min_value=date(1, 1, 1)).map(date.isoformat)
value_junk = st.one_of(st.sampled_from(QUERY_JUNK), text_junk, number_junk, date_junk)


def argument_names() -> set[str]:
    """Every query-argument name a module that reads the URL passes to a reader."""
    names = set()
    for path in (PROJECT_ROOT / "gstp").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "request.args" in source or "gstp.urlargs" in source or "from_args" in source:
            names.update(READER_CALL.findall(source))
    return names | {"page"}  # page_arg() reads "page" without naming it


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that remember which names the view looked at.

    Handed on whole (`url_for(…, **request.args)`), they are noted as `copied`: the items
    that copy takes are not a reader's, and every name at once is enough to walk it.
    """

    read: set[str] = set()
    copied: bool = False
    unpacking: set[str] = set()  # `**args` asks keys(), then each of them

    def keys(self):
        RecordingArgs.copied = True
        RecordingArgs.unpacking = set(super().keys())
        return super().keys()

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's signature
        self.read.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        if key not in self.unpacking:  # MultiDict's own __getitem__ asks it too
            self.read.add(key)
        return super().__contains__(key)

    def __getitem__(self, key):
        if key not in self.unpacking:
            self.read.add(key)
        value = super().__getitem__(key)
        self.unpacking.discard(key)
        return value


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


@pytest.fixture
def world():
    """One organization with a published activity, an official, a campaign with a letter,
    an entered figure and an outbox message: a valid value for every kind of path id."""
    edition = open_edition()
    organization = OrganizationFactory()
    organizer = UserFactory(organization=organization)
    staff = StaffFactory()
    activity = ActivityFactory(edition=edition, organization=organization)
    official = mayor("23027", "Bruno Marchand")
    letters = campaign(edition)
    letter_services.generate_letters(campaign=letters, actor=staff)
    definition = MetricDefinition(key="retombees", label_fr="Retombées médiatiques")
    db.session.add(definition)
    db.session.flush()
    value = MetricValue(edition_id=edition.id, definition_id=definition.id, value=421)
    message = OutboxMessage(to_address="a@b.example", subject="Objet", body_text="Texte")
    press = MediaResult(edition_id=edition.id, published_on=edition.starts_on, outlet="Le Soleil",
                        title="Les tout-petits à l'honneur")
    op_ed = OpEd(edition_id=edition.id, published_on=edition.starts_on, title="Lettre ouverte")
    question = SurveyQuestion(edition_id=edition.id, text_fr="La GSTP est-elle importante ?")
    conflict = OfficialConflict(official_id=official.id, field="email", file_value="a@b.example")
    incident = Incident(occurred_on=edition.starts_on, description="Courriel mal adressé")
    db.session.add_all([value, message, press, op_ed, question, conflict, incident])
    db.session.commit()
    return {
        "users": {"anonymous": None, "organizer": organizer, "staff": staff},
        "values": {"activity_id": activity.id, "organization_id": organization.id,
                   "official_id": official.id, "campaign_id": letters.id,
                   "letter_id": db.session.scalar(sa.select(Letter.id)),
                   "definition_id": definition.id,
                   "value_id": value.id, "message_id": message.id, "slug": organization.slug,
                   "result_id": press.id, "op_ed_id": op_ed.id, "question_id": question.id,
                   "conflict_id": conflict.id, "incident_id": incident.id,
                   "edition_id": edition.id, "user_id": organizer.id, "action": "desactiver",
                   "category": activity.category.value, "token": "jeton",
                   "filename": "css/main.css", "kind": "atom", "file": "absente.webp"},
        "codes": {"/regions/": "03", "/municipalites/": "23027", "/langue/": "en"},
    }


def _path_arguments(rule: Rule) -> list[str]:
    """The arguments written in the rule's path (a default, as in « nouvelle », is not)."""
    return sorted(rule._converters)


def _valid(rule: Rule, name: str, world: dict) -> str:
    if name == "code":
        return next(v for prefix, v in world["codes"].items() if rule.rule.startswith(prefix))
    return str(world["values"][name])


def _url(rule: Rule, world: dict, **junk: str) -> str:
    """The rule's URL with valid values, except the junk ones (percent-encoded)."""
    values = {name: quote(junk[name], safe="") if name in junk else _valid(rule, name, world)
              for name in _path_arguments(rule)}
    return re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule.rule)


def _check(client, url: str, *, method: str = "GET", **kwargs):
    response = client.open(url, method=method, **kwargs)
    assert response.status_code < 500, (method, url, kwargs, response.status_code)
    return response


def _refused(response) -> bool:
    """The role may not see this page (sent to sign in, or forbidden)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.location.startswith("/connexion"))


def test_every_path_argument_goes_through_a_bounded_converter(app):
    """Ids are <id:…>; free text refuses control characters: no plain int, no raw string
    (<any(…):…> is bounded by its own list)."""
    allowed = (*PATH_CONVERTERS.values(), AnyConverter)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":  # <path:filename>, served by send_from_directory
            continue
        # Rule keeps its converters in a private attribute; the URL map offers no other view.
        for name, converter in rule._converters.items():
            assert isinstance(converter, allowed), (rule.rule, name, type(converter))
            checked += 1
    assert checked > 20


def test_views_read_the_url_only_through_the_parser():
    """No view parses a URL value by hand (int(), isdigit, type=int, <int:…>)."""
    raw = re.compile(r'type=int|<int:|\.isdigit\(\)|fromisoformat\(request|'
                     r'request\.(?:args|form)\.getlist\(|request\.args\.get\("(?!lang"|next")')
    offenders = []
    for path in (PROJECT_ROOT / "gstp").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if ".route(" in source:
            offenders += [f"{path.name}: {m.group(0)}" for m in raw.finditer(source)]
    assert offenders == []


def test_argument_names_are_found_in_the_code():
    assert EXPECTED_NAMES <= argument_names()


def test_no_route_answers_5xx_to_junk(app, world, monkeypatch):
    """Each role walks the routes it may open; a route already walked by a previous role
    gets only the random combinations (the role does not change how a URL is parsed)."""
    monkeypatch.setattr(app, "request_class", RecordingRequest)
    names = sorted(argument_names())
    walked = set()
    for role, minimum in (("anonymous", 15), ("organizer", 22), ("staff", 40)):
        client = app.test_client()
        if world["users"][role] is not None:
            assert login(client, world["users"][role].email).status_code == 302
        reached = _reachable(client, world, names)
        assert len(reached) >= minimum, role
        _junk_one_argument_at_a_time(client, world, reached, names, skip=walked)
        walked |= {rule.rule for rule, _read, _copied in reached}
        _random_junk(client, world, names, [rule for rule, _read, _copied in reached])
    for rule in app.url_map.iter_rules():  # actions, as staff
        if "GET" not in rule.methods:
            for name in _path_arguments(rule):
                for junk in _path_junk(rule, name):
                    _check(client, _url(rule, world, **{name: junk}), method="POST")


def _reachable(client, world: dict, names: list[str]) -> list[tuple[Rule, list[str], bool]]:
    """The GET routes this client may open, with the query-argument names their views read
    and whether they hand the arguments on whole."""
    reached = []
    for rule in client.application.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            RecordingArgs.read, RecordingArgs.copied, RecordingArgs.unpacking = set(), False, set()
            response = _check(client, _url(rule, world), query_string={n: "1" for n in names})
            if not _refused(response):
                reached.append((rule, sorted(RecordingArgs.read & set(names)),
                                RecordingArgs.copied))
    return reached


def _path_junk(rule: Rule, name: str) -> list[str]:
    # Junk an <id:…> converter refuses never reaches a view (test_urlargs proves the bounds):
    # only the ids it accepts and one it refuses are worth a request.
    if isinstance(rule._converters[name], IdConverter):
        return [str(DB_INTEGER_MAX), str(DB_INTEGER_MAX + 1), "²"]
    return JUNK


def _junk_one_argument_at_a_time(client, world: dict, reached: list, names: list[str], *,
                                 skip: set[str]):
    """Junk in each path argument, then in each query argument the view reads; a view that
    hands its arguments on whole gets each junk value in every other name at once.

    Arguments every page reads (?lang=) are tried on the first route only.
    """
    everywhere = set.intersection(*(set(read) for _rule, read, _copied in reached))
    for index, (rule, read, copied) in enumerate(reached):
        if rule.rule in skip:
            continue
        for name in _path_arguments(rule):
            for junk in _path_junk(rule, name):
                for method in sorted(rule.methods & {"GET", "POST"}):
                    _check(client, _url(rule, world, **{name: junk}), method=method)
        for name in read if index == 0 else set(read) - everywhere:
            for junk in QUERY_JUNK:
                _check(client, _url(rule, world), query_string={name: junk})
        if copied:  # the names it reads stay valid: a 400 from them would hide the copy
            for junk in QUERY_JUNK:
                _check(client, _url(rule, world),
                       query_string={name: junk for name in names if name not in read})


def _random_junk(client, world: dict, names: list[str], rules: list[Rule]) -> None:
    """Random junk in random sets of query arguments (repeated ones too), on random routes."""

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(rule=st.sampled_from(rules), data=st.data())
    def junk_combination(rule, data):
        args = data.draw(st.dictionaries(st.sampled_from(names), st.one_of(
            value_junk, st.lists(value_junk, min_size=2, max_size=3)), max_size=6))
        _check(client, _url(rule, world), query_string=args)

    junk_combination()


def test_bulk_approval_refuses_junk_ids(client, as_user, world):
    as_user(world["users"]["staff"])
    for junk in [*JUNK, ["1", "²"], ["2147483647", "99999999999999999999"], ["1"] * 600]:
        response = _check(client, "/equipe/moderation/approuver", method="POST",
                          data={"ids": junk})
        assert response.status_code in (302, 400), junk


def test_campaign_sending_refuses_a_junk_channel(client, as_user, world):
    as_user(world["users"]["staff"])
    url = f"/lettres/campagnes/{world['values']['campaign_id']}/envoyer"
    for junk in ["", "EMAIL", "'", "\x00", "x" * 2000]:
        assert _check(client, url, method="POST", data={"channel": junk}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1  # nothing sent


HUGE = "9" * 20


@pytest.mark.parametrize(("role", "path", "status"), [
    ("anonymous", "/activites?date=9999-12-31", 200),  # public filters drop what they cannot use
    ("anonymous", "/activites.ics?date=9999-12-31", 200),
    ("anonymous", "/donnees/activites.json?date=0000-00-00", 200),
    ("anonymous", f"/activites?page={HUGE}", 400),
    ("anonymous", f"/calendrier?page={HUGE}", 400),
    ("anonymous", f"/activites/{HUGE}", 404),
    ("anonymous", f"/activites/{HUGE}.ics", 404),
    ("anonymous", "/activites/2147483648", 404),
    ("anonymous", "/activites/%C2%B2", 404),
    ("anonymous", "/regions/%00/calendrier.ics", 404),
    ("staff", "/equipe/moderation?edition=%C2%B2", 400),
    ("staff", f"/equipe/moderation?page={HUGE}", 400),
    ("staff", "/equipe/journal?since=9999-12-31", 400),
    ("staff", f"/equipe/journal?target_id={HUGE}", 400),
    ("staff", f"/lettres/lettre/{HUGE}", 404),
    ("staff", f"/lettres/campagnes/{HUGE}", 404),
    ("staff", "/lettres/campagnes/1/apercu?official=%C2%B2", 400),
    ("staff", f"/equipe/a-localiser/{HUGE}", 404),
    ("staff", f"/equipe/statistiques/indicateurs/{HUGE}", 404),
    ("staff", f"/lettres/elus?page={HUGE}", 400),
    ("staff", "/lettres/elus?level='", 400),
    ("staff", "/lettres/elus.csv?level='", 400),
    ("staff", "/lettres/?jours=%C2%B2", 400),
    ("staff", "/equipe/courriels/?statut=x", 400),
    ("staff", "/equipe/statistiques?editions=1&editions=%C2%B2", 400),
])
def test_reported_urls_answer_in_french_without_5xx(client, world, role, path, status):
    if world["users"][role] is not None:
        assert login(client, world["users"][role].email).status_code == 302
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == status
    if status == 400:
        assert "Requête invalide" in response.get_data(as_text=True)
    if status == 404:
        assert "Page introuvable" in response.get_data(as_text=True)


NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')


def test_every_paginated_list_pages_through_without_5xx(app, world):
    """On data long enough for three pages of every list, each role follows « Suivant » from
    every page it may open to the last page: no 5xx, and every list shows its third page."""
    extra = crowd(world)
    pages_seen: dict[str, int] = {}
    for role in ("anonymous", "organizer", "staff"):
        client = app.test_client()
        if world["users"][role] is not None:
            assert login(client, world["users"][role].email).status_code == 302
        starts = [(rule.endpoint, _url(rule, world)) for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and rule.endpoint != "static"]
        for endpoint, url in starts + list(extra.items()):
            pages = _follow_next(client, url)
            pages_seen[endpoint] = max(pages_seen.get(endpoint, 0), pages)
    short = {name: pages_seen.get(name, 0) for name in LISTS if pages_seen.get(name, 0) < 3}
    assert short == {}


def _follow_next(client, url: str) -> int:
    """Open the URL and each « Suivant » link after it; how many pages were read."""
    pages = 0
    while url is not None and pages < 10:
        response = _check(client, url)
        pages += 1
        found = (NEXT_LINK.search(response.get_data(as_text=True))
                 if response.status_code == 200 and response.mimetype == "text/html" else None)
        url = html.unescape(found.group(1)) if found else None
    return pages
