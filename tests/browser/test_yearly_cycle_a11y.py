"""axe-core on the pages of the yearly cycle, at 390 and 1366 px: editions, invitations,
organizations and people for staff; « Reconduire » and the spreadsheet import for organizers."""
from datetime import timedelta

import pytest

from tests.activities.helpers import open_edition
from tests.browser.a11y import axe_violations, describe
from tests.browser_fixtures import sign_in
from tests.factories import (
    ActivityFactory,
    AdminFactory,
    EditionFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _imports_dir(app, tmp_path, monkeypatch):
    """Previews waiting for confirmation are kept in the test's own directory."""
    monkeypatch.setitem(app.config, "IMPORTS_DIR", str(tmp_path / "imports"))


def _failures(page, paths) -> dict:
    failures = {}
    for path in paths:
        page.goto(path)
        if violations := axe_violations(page):
            failures[path] = describe(violations)
    return failures


def test_staff_pages_have_no_serious_violation(sized_page):
    edition = open_edition()
    kept = OrganizationFactory(name="Maison de la famille de Lévis")
    double = OrganizationFactory(name="Maison de la Famille de Levis")
    ActivityFactory(organization=kept, edition=EditionFactory(year=edition.year - 1))
    UserFactory(organization=kept)
    admin = AdminFactory()
    sign_in(sized_page, admin.email)
    assert _failures(sized_page, [
        "/equipe/editions", "/equipe/editions/nouvelle", f"/equipe/editions/{edition.id}/modifier",
        f"/equipe/editions/{edition.id}/invitations", "/equipe/organismes",
        f"/equipe/organismes/{kept.id}", f"/equipe/organismes/{kept.id}/fusionner?avec={double.id}",
        "/equipe/personnes"]) == {}


def test_organizer_pages_have_no_serious_violation(sized_page, tmp_path):
    edition = open_edition()
    user = UserFactory()
    ActivityFactory(organization=user.organization, edition=EditionFactory(year=edition.year - 1),
                    title="Heure du conte de l'an dernier")
    sign_in(sized_page, user.email)
    assert _failures(sized_page, ["/mes-activites", "/mes-activites/importer"]) == {}
    wrong_day = (edition.starts_on - timedelta(days=30)).strftime("%d/%m/%Y")
    good_day = edition.starts_on.strftime("%d/%m/%Y")
    sheet = tmp_path / "activites.csv"
    sheet.write_text(
        "titre;description;type;public;formule;adresse;municipalite;date;debut;fin\n"
        f"Conte;Des albums.;eveil_lecture_ecriture;familles;en personne;1 rue A;Québec;"
        f"{good_day};10:00;11:00\n"
        f"Jeu;Du jeu libre.;inconnu;familles;en personne;1 rue A;Québec;{wrong_day};10:00;9:00\n",
        encoding="utf-8")
    sized_page.get_by_label("Fichier rempli (.xlsx ou .csv)").set_input_files(str(sheet))
    sized_page.get_by_role("button", name="Voir l'aperçu").click()
    sized_page.wait_for_load_state()
    assert "1 ligne(s) prête(s) sur 2." in sized_page.locator("#import-summary").inner_text()
    violations = axe_violations(sized_page)
    assert violations == [], describe(violations)
