"""At 390 and 1366 px, in every state: no sideways scroll, no action hidden in a scrolling box.

Activities pending approval, published, refused and cancelled, as their organizer and on
their public pages; an e-mail to a long address in the outbox reader.
"""
from datetime import date

import pytest

from gstp.activities.models import ActivityState
from gstp.extensions import db
from gstp.mail.services import queue_mail
from tests.browser_fixtures import sign_in
from tests.calendar.conftest import make_activity
from tests.factories import EditionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser

LONG_TITLE = "Atelier d'éveil à la lecture et à l'écriture pour les familles nouvellement arrivées"
LONG_ADDRESS = ("coordinationdesactivitespetiteenfance@"
                "regroupementdesorganismescommunautairesfamille.example")
# Pages that scroll sideways, and links, buttons or fields out of sight: to the right of
# the screen, or cut by a box that scrolls on its own.
HIDDEN = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.scrollingElement.scrollWidth > width) {
    out.push("page " + document.scrollingElement.scrollWidth + " px wide");
  }
  for (const el of document.querySelectorAll("main a, main button, main input, main select")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest(".visually-hidden, [hidden]")) { continue; }
    let cut = box.right > width + 1 || box.left < -1;
    for (let up = el.parentElement; up && !cut; up = up.parentElement) {
      const frame = up.getBoundingClientRect();
      const style = getComputedStyle(up);
      if (/(auto|scroll|hidden)/.test(style.overflowX) && up.scrollWidth > up.clientWidth + 1) {
        cut = box.right > frame.right + 1 || box.left < frame.left - 1;
      }
    }
    const name = (el.textContent || el.name || "").trim().slice(0, 40);
    if (cut) { out.push(el.tagName + " « " + name + " »"); }
  }
  return out;
}"""


def _problems(page, paths) -> dict:
    found = {}
    for path in paths:
        page.goto(path)
        page.wait_for_load_state()
        if problems := page.evaluate(HIDDEN):
            found[path] = problems
    return found


def test_every_state_fits_a_phone(sized_page):
    edition = EditionFactory(year=date.today().year + 1)
    organizer = UserFactory(email="une-adresse-courriel-assez-longue@organisme-familles.example")
    states = {state: make_activity(edition, title=f"{LONG_TITLE} ({state.value})",
                                   organization=organizer.organization, state=state)
              for state in (ActivityState.SUBMITTED, ActivityState.PUBLISHED,
                            ActivityState.REJECTED, ActivityState.CANCELLED)}
    pending = states[ActivityState.SUBMITTED]
    published = states[ActivityState.PUBLISHED]
    cancelled = states[ActivityState.CANCELLED]
    message = queue_mail(to=LONG_ADDRESS, subject="Votre activité est publiée",
                         template="activity_published", activity=published)
    staff = StaffFactory(email="equipe@collectif-petite-enfance.example")
    db.session.commit()
    page = sized_page
    failures = {"anonymous": _problems(page, [
        f"/activites/{published.id}", f"/activites/{cancelled.id}",
        f"/organismes/{published.organization.slug}", "/activites?all=1"])}
    sign_in(page, organizer.email)
    failures["organizer"] = _problems(page, [
        "/mes-activites", f"/mes-activites/{pending.id}/modifier",
        f"/mes-activites/{pending.id}/annuler", f"/mes-activites/{published.id}/modifier"])
    page.context.clear_cookies()
    sign_in(page, staff.email)
    failures["staff"] = _problems(page, [
        f"/equipe/courriels/{message.id}", "/equipe/moderation",
        f"/equipe/moderation/{pending.id}/refuser"])
    assert failures == {"anonymous": {}, "organizer": {}, "staff": {}}
