"""At 390 px nothing is wider than the screen: every page, signed out, as organizer, as staff."""
from datetime import date

import pytest

from gstp.activities.models import ActivityState
from tests.browser_fixtures import sign_in
from tests.calendar.conftest import make_activity
from tests.factories import AdminFactory, EditionFactory, UserFactory

pytestmark = pytest.mark.browser

# Downloads and data, not pages; the language switch only redirects.
NOT_PAGES = (".ics", ".csv", ".json", ".geojson", ".xlsx", ".pdf", "/static/", "/langue/")
SIGNED_IN = ("/equipe", "/lettres", "/mes-activites", "/mon-compte", "/organisme/")
ORGANIZER = ("/mes-activites", "/mon-compte", "/organisme/", "/lettres/mon-territoire")
# For the failure message: which elements stick out on the right.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391).slice(0, 6)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
LONG_TITLE = "Atelier d'éveil à la lecture et à l'écriture pour les familles nouvellement arrivées"


def _pages_without_arguments(app) -> list[str]:
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and not any(part in rule.rule for part in NOT_PAGES)})


def _too_wide(page, paths) -> dict:
    """The pages whose content is wider than the 390 px screen, with their width."""
    widths = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 390:
            widths[path] = (width, page.evaluate(WIDE_ELEMENTS))
    return widths


def test_no_page_scrolls_sideways_on_a_phone(app, phone_page):
    edition = EditionFactory(year=date.today().year + 1)
    organizer = UserFactory(email="une-adresse-courriel-assez-longue@organisme-familles.example")
    published = make_activity(edition, title=LONG_TITLE, organization=organizer.organization)
    submitted = make_activity(edition, title=LONG_TITLE + " (proposée)",
                              organization=organizer.organization, state=ActivityState.SUBMITTED)
    admin = AdminFactory(email="equipe-de-coordination-nationale@collectif-petite-enfance.example")
    pages = _pages_without_arguments(app)
    with_ids = [f"/activites/{published.id}", f"/organismes/{published.organization.slug}",
                "/activites?q=atelier&region=03&all=1", "/activites?lang=en"]
    assert {"/", "/activites", "/carte", "/mes-activites", "/equipe/moderation"} <= set(pages)

    public = [p for p in pages if not p.startswith(SIGNED_IN)]
    page = phone_page
    failures = {"anonymous": _too_wide(page, public + with_ids)}
    sign_in(page, organizer.email)
    failures["organizer"] = _too_wide(page, [p for p in pages if p.startswith(ORGANIZER)] + [
        f"/mes-activites/{published.id}/modifier", f"/mes-activites/{submitted.id}/annuler"])
    page.context.clear_cookies()
    sign_in(page, admin.email)
    failures["staff"] = _too_wide(page, [p for p in pages if p.startswith(SIGNED_IN)] + [
        f"/equipe/a-localiser/{published.id}", f"/equipe/moderation/{submitted.id}/refuser",
        f"/mes-activites/{submitted.id}/modifier"])
    assert failures == {"anonymous": {}, "organizer": {}, "staff": {}}
