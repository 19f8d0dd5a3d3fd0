"""After the week, on a 390 px phone: the reminder read in the outbox, the report given as
people type it, a 100-letter campaign opened page by page, the figures read on the phone.

The week is last year's, so it is over whatever today is (the journey needs no fake clock).
"""
from datetime import date

import pytest
import sqlalchemy as sa

from gstp.activities.models import AttendanceReport
from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.letters.models import ElectedOfficial, Letter, LetterStatus, OfficialLevel
from gstp.letters.services import change_status, generate_letters
from tests.browser_fixtures import sign_in
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory
from tests.letters.helpers import campaign

pytestmark = pytest.mark.browser
SCREEN = 390


def _in_view(locator) -> bool:
    """The element lies inside the 390 px screen, with nothing to scroll to see it."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SCREEN


def _hundred_letters(edition, staff):
    codes = db.session.scalars(sa.select(Municipality.code).order_by(Municipality.code)
                               .limit(100)).all()
    db.session.add_all(ElectedOfficial(level=OfficialLevel.MUNICIPAL, seat_code=code,
                                       full_name=f"Élu no {n}", email=f"maire{n}@ville.example",
                                       municipality_code=code, region_code="03")
                       for n, code in enumerate(codes))
    letters = campaign(edition)
    generate_letters(campaign=letters, actor=staff)
    sent = db.session.scalars(sa.select(Letter).order_by(Letter.id).limit(4)).all()
    for letter in sent:
        change_status(letter=letter, status=LetterStatus.SENT, actor=staff)
    change_status(letter=sent[0], status=LetterStatus.ANSWERED, actor=staff)
    change_status(letter=sent[1], status=LetterStatus.BOUNCED, actor=staff)
    db.session.commit()
    return letters


def test_after_the_week_on_a_phone(app, phone_page):
    year = date.today().year - 1
    earlier = ActivityFactory(edition=EditionFactory(year=year - 1))  # to compare with
    db.session.add(AttendanceReport(activity_id=earlier.id, children=30, adults=20))
    edition = EditionFactory(year=year)
    organizer = UserFactory(email="animatrice@maison-famille.example")
    activity = ActivityFactory(edition=edition, organization=organizer.organization,
                               contact_email=None, title="Heure du conte d'automne")
    staff = StaffFactory()
    letters = _hundred_letters(edition, staff)
    result = app.test_cli_runner().invoke(args=["gstp", "remind-attendance"])
    assert "Rappels mis en file : 1" in result.output, result.output
    page = phone_page

    # Staff read the reminder in the outbox: the subject is the first column, in view.
    sign_in(page, staff.email)
    page.goto("/equipe/courriels/")
    subject = page.locator("table.outbox tbody th a").first
    assert "Combien de personnes avez-vous rejointes ?" in subject.inner_text()
    assert _in_view(subject)
    assert page.locator(".scroll-cue").first.is_visible()
    subject.click()
    body = page.locator("body").inner_text()
    assert "animatrice@maison-famille.example" in body
    assert f"/mes-activites/{activity.id}/participation" in body

    # The organizer follows the link and types the count as people write it.
    page.context.clear_cookies()
    sign_in(page, organizer.email)
    page.goto(f"/mes-activites/{activity.id}/participation")
    page.get_by_label("Enfants").fill("1 200")
    page.get_by_label("Adultes").fill("1\u202f050")
    page.get_by_label("Organismes rejoints").fill("12")
    page.get_by_role("button", name="Enregistrer").click()
    assert "Merci ! La participation est enregistrée." in page.locator("body").inner_text()
    assert page.get_by_role("link", name="Annuler").count() == 0  # over: history now

    # Staff open the 100-letter campaign page by page.
    page.context.clear_cookies()
    sign_in(page, staff.email)
    page.goto(f"/lettres/campagnes/{letters.id}")
    assert "Page 1 sur 2" in page.locator("nav.pagination").inner_text()
    page.get_by_role("link", name="Suivant").click()
    assert "Page 2 sur 2" in page.locator("nav.pagination").inner_text()
    assert page.get_by_role("link", name="Précédent").is_visible()

    # The letters dashboard: the rate and the replies first, in view.
    page.goto(f"/lettres/?edition={edition.id}")
    header = page.locator("table.coverage").first.locator("thead th").nth(1)
    assert header.inner_text() == "Taux de réponse" and _in_view(header)
    rate = page.locator("table.coverage").first.locator("tbody td").first
    assert rate.inner_text() == "33,3 %" and _in_view(rate)  # 1 answer of 3 delivered

    # The figures: the latest edition next to the indicator, in view, and a cue for the rest.
    page.goto("/equipe/statistiques")
    table = page.locator(".stats-table").first
    latest = table.locator("thead th").nth(1)
    assert latest.inner_text().startswith(str(year)) and _in_view(latest)
    children = table.locator("tr", has_text="Enfants rejoints").locator("td").first
    value = children.locator(".value").inner_text()
    assert value.replace("\u202f", " ").replace("\xa0", " ") == "1 200"
    assert _in_view(children)
    assert page.locator(".scroll-cue").first.is_visible()
