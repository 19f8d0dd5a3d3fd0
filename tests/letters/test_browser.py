"""A letter campaign end to end in headless Chromium."""
import pytest

from tests.factories import TEST_PASSWORD, EditionFactory, StaffFactory
from tests.letters.helpers import mayor

pytestmark = pytest.mark.browser


def test_campaign_to_a_regions_mayors_end_to_end(page):
    EditionFactory(year=2026)
    staff = StaffFactory()
    mayor("05045", "Lucie Gagnon", email="mairie@bonaventure.example")
    mayor("04047", "Marc Leblanc", civility="monsieur", email="mairie@capchat.example")
    mayor("23027", "Hors Région")

    page.goto("/connexion")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # Staff land on « Équipe », which links to the letters too: take the main navigation's.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Lettres aux élus").click()
    page.get_by_role("link", name="Nouvelle campagne").click()

    page.get_by_label("Titre de la campagne").fill("Invitation 2026")
    page.get_by_label("Objet de la lettre").fill("La Grande semaine à {{ territoire }}")
    page.get_by_label("Texte de la lettre").fill("{{ salutation }}\nVotre municipalité, "
                                                 "{{ territoire }}, compte {{ nb_activites }} "
                                                 "activité(s).\n{{ signataires }}")
    page.get_by_label("Signataires").fill("Marie Tremblay ; Porte-parole ; Collectif")
    page.get_by_label("Élus visés").select_option("municipal")
    page.get_by_label("Région").select_option(label="Gaspésie–Îles-de-la-Madeleine")
    page.get_by_role("button", name="Enregistrer la campagne").click()
    assert "2 élu·es visé·es" in page.locator("#target-count").inner_text()

    page.get_by_role("link", name="Aperçu d'une lettre").click()
    page.get_by_label("Élu·e").select_option(label="Marc Leblanc — Cap-Chat")
    page.get_by_role("button", name="Afficher").click()
    preview = page.locator(".letter-preview").inner_text()
    assert "La Grande semaine à Cap-Chat" in preview and "Monsieur le Maire," in preview
    # Each line is its own block: the line breaks survive the page's CSP.
    assert page.locator(".letter-body p").first.inner_text().startswith("Monsieur le Maire,\n")
    page.get_by_role("link", name="Retour à la campagne").click()

    page.get_by_role("button", name="Générer les lettres").click()
    assert "2 lettre(s) générée(s)" in page.locator(".flashes").inner_text()
    page.get_by_role("link", name="Envoyer les courriels").click()
    summary = page.locator("#send-summary").inner_text()
    assert "Par courriel\t2" in summary and "Sans adresse (ni courriel ni adresse postale)\t0" \
        in summary
    assert "2 élu·es aux données non vérifiées" in page.locator(".unverified").inner_text()
    page.get_by_role("button", name="Envoyer 2 courriels").click()
    assert "2 lettre(s) envoyée(s)" in page.locator(".flashes").inner_text()

    page.get_by_role("table").get_by_role("link", name="Lucie Gagnon").click()
    page.get_by_label("Nouveau statut").select_option(label="Réponse reçue")
    page.get_by_label("Texte de la réponse").fill("Je serai présente.")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    assert page.locator("#letter-status").inner_text() == "Réponse reçue"

    page.get_by_role("link", name="Lettres aux élus").click()
    level_table = page.locator("table[aria-labelledby='coverage-level']")
    assert "50 %" in level_table.inner_text()
    assert "Gaspésie" in page.locator("table[aria-labelledby='coverage-region']").inner_text()
    # Beside the region table, the map colours the one region written to (Gaspésie, 50 %).
    page.wait_for_selector("#letters-map[data-ready='true']")
    assert page.locator("#letters-map path.leaflet-interactive").count() >= 17
    assert "Élus ayant répondu / élus joints" in page.locator(".letters-legend").inner_text()
    assert page.locator("#letters-map").get_attribute("data-rates") == '{"11": 50.0}'
