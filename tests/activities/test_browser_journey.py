"""An organizer proposes an activity in Chromium; staff approve it from the queue."""
from datetime import timedelta

import pytest

from gstp.activities.models import Activity, ActivityState
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.browser_fixtures import sign_in
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser


def test_organizer_proposes_and_staff_approves(page):
    edition = open_edition()
    organizer = UserFactory(email="organisatrice@organisme.example")
    staff = StaffFactory(email="equipe@gstp.example")
    db.session.commit()
    first, second = edition.starts_on + timedelta(days=1), edition.starts_on + timedelta(days=4)

    sign_in(page, organizer.email)
    page.get_by_role("link", name="Mes activités").click()
    page.get_by_role("link", name="Proposer une activité").click()
    page.get_by_label("Titre de l'activité").fill("Matinée des tout-petits au parc")
    page.get_by_label("Description").fill("Jeux libres, comptines et collation pour les 0-5 ans.")
    page.get_by_label("Type d'activité").select_option("evenement_communautaire")
    page.get_by_label("Public").select_option("familles")
    page.locator("#occurrences-0-day").fill(first.isoformat())
    page.locator("#occurrences-0-starts").fill("09:30")
    page.locator("#occurrences-0-ends").fill("11:30")
    page.get_by_role("button", name="Ajouter une date").click()  # JavaScript copies the row
    page.locator("#occurrences-1-day").fill(second.isoformat())
    assert page.locator("#occurrences-1-starts").input_value() == "09:30"
    page.get_by_label("Adresse", exact=True).fill("1000, avenue du Parc")
    page.get_by_label("Code postal").fill("g1r 2l3")
    page.get_by_label("Municipalité").fill("Québec (23027)")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()

    assert "Merci ! Votre activité a été envoyée" in page.content()
    row = page.get_by_role("row").filter(has_text="Matinée des tout-petits au parc")
    assert "En attente d'approbation" in row.inner_text()

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    sign_in(page, staff.email)
    page.goto("/equipe/moderation")
    queue_row = page.get_by_role("row").filter(has_text="Matinée des tout-petits au parc")
    queue_row.get_by_role("button", name="Approuver").click()
    page.wait_for_load_state()
    assert "« Matinée des tout-petits au parc » est publiée." in page.content()

    db.session.expire_all()
    activity = db.session.scalar(db.select(Activity))
    assert activity.state is ActivityState.PUBLISHED
    assert activity.postal_code == "G1R 2L3"
    assert [o.starts_at.astimezone(activity.occurrences[0].starts_at.tzinfo).hour
            for o in activity.occurrences] == [14, 14]  # 09:30 EST in UTC
    assert [o.starts_at.date() for o in activity.occurrences] == [first, second]
