"""Staff review journeys in Chromium: an edit to a published activity accepted, then read
in the journal; a look-alike activity warned while submitting."""
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from gstp.activities.models import ActivityState
from gstp.activities.moderation import set_state
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.browser_fixtures import sign_in
from tests.factories import ActivityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser


def test_published_edit_is_accepted_by_staff_and_read_in_the_journal(browser, live_server,
                                                                       page):
    activity = ActivityFactory(edition=open_edition(), state=ActivityState.SUBMITTED,
                               published_at=None, title="Heure du conte")
    organizer = UserFactory(organization=activity.organization)
    staff_member = StaffFactory(email="equipe@gstp.example")
    set_state(activity=activity, state=ActivityState.PUBLISHED, actor=staff_member)
    db.session.commit()

    sign_in(page, organizer.email)
    page.goto(f"/mes-activites/{activity.id}/modifier")
    page.get_by_label("Titre de l'activité").fill("Heure du conte au parc")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Activité enregistrée.")).to_be_visible()

    context = browser.new_context(base_url=live_server, locale="fr-CA")
    staff_page = context.new_page()
    sign_in(staff_page, staff_member.email)
    staff_page.goto("/equipe")
    staff_page.locator("#contenu").get_by_role("link", name="Modifications publiées").click()
    review = staff_page.locator(f"#activite-{activity.id}")
    expect(review.get_by_text("modifiée depuis l'approbation")).to_be_visible()
    title_row = review.get_by_role("row", name="Titre")
    expect(title_row.locator("del")).to_have_text("Heure du conte")
    expect(title_row.locator("ins")).to_have_text("Heure du conte au parc")
    review.get_by_role("button", name="Accepter").click()
    expect(staff_page.get_by_text("l'organisme a été avisé")).to_be_visible()
    expect(staff_page.get_by_text(
        "Aucune activité publiée n'a été modifiée depuis son approbation.")).to_be_visible()

    staff_page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Journal").click()
    staff_page.get_by_label("Action").select_option(
        label="a accepté les modifications de l'activité")
    staff_page.get_by_role("button", name="Filtrer").click()
    entry = staff_page.locator(".journal-entry").first
    expect(entry).to_contain_text("a accepté les modifications de l'activité")
    expect(entry.get_by_role("link", name="« Heure du conte au parc »")).to_be_visible()
    context.close()


def test_organizer_is_warned_of_a_look_alike_and_confirms_it_is_another(page):
    edition = open_edition()
    first = ActivityFactory(edition=edition, title="Heure du conte des tout-petits")
    organizer = UserFactory(organization=first.organization)
    db.session.commit()
    day = first.occurrences[0].starts_at.astimezone(ZoneInfo(first.time_zone)).date()

    sign_in(page, organizer.email)
    page.goto("/mes-activites/nouvelle")
    page.get_by_label("Titre de l'activité").fill("L'heure du conte des tout-petits !")
    page.get_by_label("Description").fill("Albums et comptines pour les 0-5 ans.")
    page.get_by_label("Type d'activité").select_option("eveil_lecture_ecriture")
    page.get_by_label("Public").select_option("familles")
    page.get_by_label("En personne").check()
    page.locator("#occurrences-0-day").fill(day.isoformat())
    page.locator("#occurrences-0-starts").fill("13:00")
    page.locator("#occurrences-0-ends").fill("14:00")
    page.get_by_label("Adresse", exact=True).fill("350, rue Saint-Joseph Est")
    page.get_by_label("Municipalité").fill("Québec")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()

    warning = page.locator("#doublon")
    expect(warning).to_contain_text("ressemble à une activité déjà inscrite")
    expect(warning.get_by_role("link", name="« Heure du conte des tout-petits »")) \
        .to_have_attribute("href", f"/mes-activites/{first.id}/modifier")
    warning.get_by_label("C'est une autre activité").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Merci ! Votre activité a été envoyée")).to_be_visible()
