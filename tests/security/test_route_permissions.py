"""Every route of the app, as anonymous, as another organization, as organizer and as staff.

Routes are read from the URL map, so a new route that is not classified here fails the test.
"""
import re

import pytest

from tests.conftest import login
from tests.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    AdminFactory,
    EditionFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)

PUBLIC_PREFIXES = ("/activites", "/calendrier", "/carte", "/categories/", "/connexion",
                   "/donnees", "/inscription", "/invitation/", "/langue/", "/mot-de-passe",
                   "/municipalites/", "/regions/", "/static/", "/deconnexion", "/integre",
                   "/affiches/")
PUBLIC_RULES = {"/", "/organismes/<slug>", "/organismes/<slug>/calendrier.ics", "/confidentialite",
                "/favicon.ico", "/equipe/invitation/<token>"}
STAFF_PREFIXES = ("/equipe", "/lettres/")
ORGANIZER_PREFIXES = ("/mes-activites", "/mon-compte", "/organisme/", "/organismes/<id:",
                      "/lettres/mon-territoire")


def _kind(rule: str) -> str:
    if rule in PUBLIC_RULES or rule.startswith(PUBLIC_PREFIXES):
        return "public"
    if rule.startswith(ORGANIZER_PREFIXES):
        return "organizer"
    if rule.startswith(STAFF_PREFIXES):
        return "staff"
    return "unclassified"


def _routes(app, kind):
    for rule in app.url_map.iter_rules():
        if _kind(rule.rule) == kind:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.rule, method


def _url(rule: str, number: int = 999_999) -> str:
    # <any(a, b):x> takes its first choice: any other value is refused before the view.
    rule = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule)
    return re.sub(r"<(?:int:)?[^>]+>", str(number), rule)


def test_every_route_is_classified(app):
    unclassified = [r.rule for r in app.url_map.iter_rules() if _kind(r.rule) == "unclassified"]
    assert unclassified == []


def test_anonymous_is_sent_to_sign_in_on_every_private_route(app, client):
    checked = 0
    for kind in ("organizer", "staff"):
        for rule, method in _routes(app, kind):
            response = client.open(_url(rule), method=method)
            assert response.status_code == 302, (method, rule, response.status_code)
            assert response.headers["Location"].startswith("/connexion"), (method, rule)
            checked += 1
    assert checked > 40


def test_organizer_is_refused_every_staff_route(app, client, as_user):
    as_user(UserFactory())
    routes = list(_routes(app, "staff"))
    for rule, method in routes:
        response = client.open(_url(rule), method=method)
        assert response.status_code == 403, (method, rule, response.status_code)
    assert len(routes) > 25


@pytest.mark.parametrize("path", ["/mes-activites/{id}/modifier", "/mes-activites/{id}/annuler",
                                  "/mes-activites/{id}/participation"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_other_organization_cannot_touch_an_activity(client, as_user, path, method):
    foreign = ActivityFactory(organization=OrganizationFactory())
    as_user(UserFactory(organization=OrganizationFactory()))
    response = client.open(path.format(id=foreign.id), method=method, data={"title": "Piraté"})
    assert response.status_code == 404
    from gstp.extensions import db
    db.session.refresh(foreign)
    assert foreign.title != "Piraté"


@pytest.mark.parametrize("path", ["/organismes/{id}/profil", "/organismes/{id}/invitations"])
def test_other_organization_profile_is_refused(client, as_user, path):
    other = OrganizationFactory()
    as_user(UserFactory(organization=OrganizationFactory()))
    assert client.get(path.format(id=other.id)).status_code == 403
    assert client.post(path.format(id=other.id), data={"name": "Piraté"}).status_code == 403


def test_organizer_reaches_own_pages(client, as_user):
    as_user(UserFactory())
    for path in ("/mes-activites", "/mon-compte", "/organisme/profil", "/organisme/invitations",
                 "/lettres/mon-territoire"):
        assert client.get(path).status_code == 200, path


# Managing the team is for admins (DESIGN: "admins manage staff"); staff are refused.
ADMIN_PAGES = {"/equipe/personnes"}


def test_staff_reaches_every_staff_page_without_parameters(app, client, as_user):
    EditionFactory(year=2026)  # pages about "the current edition" need one
    as_user(StaffFactory())
    pages = [rule for rule, method in _routes(app, "staff")
             if method == "GET" and "<" not in rule]
    for rule in pages:
        assert client.get(rule).status_code == (403 if rule in ADMIN_PAGES else 200), rule
    assert len(pages) >= 10
    admin = app.test_client()
    assert login(admin, AdminFactory().email, TEST_PASSWORD).status_code == 302
    for rule in pages:
        assert admin.get(rule).status_code == 200, rule
