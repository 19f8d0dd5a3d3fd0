"""The yearly cycle in Chromium at 390 and 1366 px: staff create and open the next edition,
a returning organization reads its invitation, brings back two activities, imports three
more from a spreadsheet (one row fixed after the preview), staff approve them, and the
« Organismes de retour » figure counts it."""
import csv
import io
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from gstp.activities.models import Activity, ActivityState
from gstp.editions.models import Edition
from gstp.editions.services import week_of
from gstp.extensions import db
from tests.browser_fixtures import LAPTOP, PHONE, _new_context, sign_in
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _imports_dir(app, tmp_path, monkeypatch):
    """Previews waiting for confirmation are kept in the test's own directory."""
    monkeypatch.setitem(app.config, "IMPORTS_DIR", str(tmp_path / "imports"))


@pytest.fixture
def open_outbox(app, live_server):
    """The demo's settings: outbox readable by all, mail links pointing at this server."""
    saved = {key: app.config[key] for key in ("MAIL_OUTBOX_OPEN", "PUBLIC_BASE_URL")}
    app.config.update(MAIL_OUTBOX_OPEN=True, PUBLIC_BASE_URL=live_server)
    yield
    app.config.update(saved)


def _spreadsheet(edition_start: date, bad_day: bool) -> bytes:
    headers = ["titre", "description", "type", "public", "formule", "adresse", "municipalite",
               "date", "debut", "fin"]
    rows = []
    for n, title in enumerate(("Atelier de comptines", "Jeu libre au parc",
                               "Causerie pour futurs parents")):
        day = edition_start + timedelta(days=n + 1)
        if bad_day and n == 1:
            day = edition_start - timedelta(days=20)
        rows.append([title, "Une activité pour les tout-petits et leurs familles.",
                     "developpement_global", "familles", "en personne",
                     "350, rue Saint-Joseph Est", "Québec", day.strftime("%d/%m/%Y"),
                     "10:00", "11:00"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1366px"])
def test_the_yearly_cycle(browser, live_server, open_outbox, tmp_path, viewport):
    today = date.today()
    last_year = today.year if week_of(today.year)[1] < today else today.year - 1
    past = EditionFactory(year=last_year)
    staff, organizer = StaffFactory(email="equipe@collectif.example"), UserFactory(
        email="direction@famille.example")
    for title in ("Heure du conte", "Fête des familles", "Atelier d'éveil musical"):
        ActivityFactory(organization=organizer.organization, edition=past, title=title)
    staff_context = _new_context(browser, live_server, viewport)
    organizer_context = _new_context(browser, live_server, viewport)
    try:
        # Staff create the next edition (proposed by the form) and publish it.
        page = staff_context.new_page()
        sign_in(page, staff.email)
        page.goto("/equipe/editions")
        page.get_by_role("link", name="Créer une édition").click()
        expect(page.get_by_label("Année")).to_have_value(str(last_year + 1))
        page.get_by_label("Thème (français)").fill("Grandir ensemble")
        page.get_by_label("Thème (anglais)").fill("Growing together")
        page.get_by_label("Ouverture des inscriptions").fill(today.isoformat())
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text(f"Édition {last_year + 1} créée")).to_be_visible()
        row = page.locator(f"#edition-{last_year + 1}")
        expect(row.get_by_text("Brouillon")).to_be_visible()
        row.get_by_role("button", name="Publier").click()
        expect(page.locator(f"#edition-{last_year + 1}").get_by_text(
            "Inscriptions ouvertes")).to_be_visible()
        edition = db.session.scalar(db.select(Edition).where(Edition.year == last_year + 1))

        # Staff invite last year's organizations.
        page.locator(f"#edition-{last_year + 1}").get_by_role("link", name="Invitations").click()
        page.get_by_label("Organismes ayant participé à l'une des dernières éditions"
                          ).select_option("1")
        page.get_by_role("button", name="Envoyer les invitations").click()
        expect(page.get_by_text("1 courriel(s) mis dans la boîte d'envoi.")).to_be_visible()

        # The organization reads its invitation and follows its link to « Reconduire ».
        org = organizer_context.new_page()
        org.goto("/equipe/courriels/")
        org.get_by_role("row").filter(has_text=organizer.email).get_by_role("link").first.click()
        org.wait_for_load_state()
        link = org.locator("pre.mail-text a").first
        expect(link).to_contain_text("/mes-activites#reconduire")
        org.goto(link.get_attribute("href"))
        if "/connexion" in org.url:
            sign_in(org, organizer.email)
            org.goto("/mes-activites#reconduire")
        section = org.locator("#reconduire")
        section.get_by_label("Heure du conte", exact=False).check()
        section.get_by_label("Fête des familles", exact=False).check()
        section.get_by_role("button", name="Reconduire la sélection").click()
        expect(org.get_by_text("2 activités reconduites")).to_be_visible()

        # Three more from a spreadsheet: one row's date is wrong, fixed, then confirmed.
        org.get_by_role("link", name="Importer un fichier (Excel ou CSV)").click()
        wrong, right = tmp_path / "activites.csv", tmp_path / "activites-corrige.csv"
        wrong.write_bytes(_spreadsheet(edition.starts_on, bad_day=True))
        right.write_bytes(_spreadsheet(edition.starts_on, bad_day=False))
        org.get_by_label("Fichier rempli (.xlsx ou .csv)").set_input_files(str(wrong))
        org.get_by_role("button", name="Voir l'aperçu").click()
        expect(org.locator("#import-summary")).to_contain_text("2 ligne(s) prête(s) sur 3.")
        expect(org.locator("#ligne-3")).to_contain_text(
            "La date doit être pendant la semaine")
        org.get_by_role("link", name="Envoyer un autre fichier").click()
        org.get_by_label("Fichier rempli (.xlsx ou .csv)").set_input_files(str(right))
        org.get_by_role("button", name="Voir l'aperçu").click()
        expect(org.locator("#import-summary")).to_contain_text("3 ligne(s) prête(s) sur 3.")
        org.get_by_role("button", name="Envoyer les 3 activités prêtes à l'équipe").click()
        expect(org.get_by_text("3 activités envoyées")).to_be_visible()
        assert db.session.scalar(db.select(db.func.count(Activity.id)).where(
            Activity.edition_id == edition.id, Activity.state == ActivityState.SUBMITTED)) == 5

        # Staff approve the five; the organization counts among the returning ones.
        page.goto("/equipe/moderation")
        expect(page.get_by_text(f"reconduite de {last_year}").first).to_be_visible()
        for box in page.locator("input[name=ids]").all():
            box.check()
        page.get_by_role("button", name="Approuver la sélection").click()
        page.wait_for_load_state()
        assert db.session.scalar(db.select(db.func.count(Activity.id)).where(
            Activity.edition_id == edition.id, Activity.state == ActivityState.PUBLISHED)) == 5
        page.goto(f"/equipe/statistiques?editions={past.id}&editions={edition.id}")
        returning = page.get_by_role("row", name="Organismes de retour")
        # The latest edition's column comes first, next to the indicator.
        expect(returning.locator("td").first).to_have_text("1")
        page.goto(f"/equipe/editions/{edition.id}/invitations")
        expect(page.locator("#came-back")).to_contain_text("1 organisme(s) de retour sur 1")
    finally:
        staff_context.close()
        organizer_context.close()
