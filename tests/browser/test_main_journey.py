"""The main journey end to end in Chromium: a new organization signs up (e-mail link
included), submits an activity, staff approve it and families find it on the public
calendar, its page and its feed."""
from datetime import timedelta

import pytest
from icalendar import Calendar

from gstp.extensions import db
from gstp.mail.worker import send_pending
from tests.activities.helpers import open_edition
from tests.browser_fixtures import sign_in
from tests.factories import TEST_PASSWORD, StaffFactory
from tests.mail_fixtures import link_paths

pytestmark = pytest.mark.browser
TITLE = "Heure du conte à la bibliothèque de Gaspé"


def test_new_organization_to_public_calendar(page, smtp_server, live_server):
    edition = open_edition()
    staff = StaffFactory(email="equipe@gstp.example")
    db.session.commit()

    page.goto("/inscription")
    page.get_by_label("Nom de l'organisme").fill("Bibliothèque de Gaspé")
    page.get_by_label("Type d'organisme").select_option("bibliotheque")
    page.get_by_label("Région administrative").select_option("11")
    page.get_by_label("Municipalité", exact=True).fill("Gaspé")
    page.get_by_label("Votre nom").fill("Dominique Roy")
    page.get_by_label("Votre courriel").fill("dominique@biblio-gaspe.example")
    page.get_by_label("Mot de passe", exact=True).fill("lecture-pour-tous")
    page.get_by_label("Confirmation du mot de passe").fill("lecture-pour-tous")
    page.get_by_role("button", name="Inscrire l'organisme").click()
    page.wait_for_load_state()
    send_pending()
    [message] = smtp_server.to("dominique@biblio-gaspe.example")
    page.goto(link_paths(message)[0])  # signs in and opens « Mes activités »
    assert page.url.endswith("/mes-activites")

    page.goto("/mes-activites/nouvelle")
    page.get_by_label("Titre de l'activité").fill(TITLE)
    page.get_by_label("Description").fill("Albums et comptines pour les 0-5 ans.")
    page.get_by_label("Type d'activité").select_option("eveil_lecture_ecriture")
    page.get_by_label("Public").select_option("familles")
    day = edition.starts_on + timedelta(days=3)
    page.locator("#occurrences-0-day").fill(day.isoformat())
    page.locator("#occurrences-0-starts").fill("10:00")
    page.locator("#occurrences-0-ends").fill("11:00")
    page.get_by_label("Adresse", exact=True).fill("5, rue Adams")
    page.get_by_label("Code postal").fill("G4X 1E5")
    page.get_by_label("Municipalité").fill("Gaspé")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "Merci ! Votre activité a été envoyée" in page.content()

    page.goto("/activites")
    assert TITLE not in page.content()  # not public before moderation

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto("/equipe/moderation")
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("button", name="Approuver").click()
    page.wait_for_load_state()

    page.goto("/activites?region=11")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "Gaspé" in page.content()

    feed = page.request.get(f"{live_server}/regions/11/calendrier.ics")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [TITLE]
    assert events[0]["DTSTART"].dt.hour == 10
