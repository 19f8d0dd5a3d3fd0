"""The sign-up journey in real headless Chromium, e-mail included."""
import json

import pytest

from gstp.config import PROJECT_ROOT
from gstp.extensions import db
from gstp.mail.worker import send_pending
from tests.mail_fixtures import link_paths

pytestmark = pytest.mark.browser
AXE = PROJECT_ROOT / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"


def test_sign_up_and_the_confirmation_link_signs_in(page, smtp_server):
    db.session.commit()
    page.goto("/inscription")
    violations = page.evaluate(AXE.read_text() + """
        ;axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))""")
    assert violations == [], json.dumps(violations, indent=1)

    page.get_by_label("Nom de l'organisme").fill("Bibliothèque de Gaspé")
    page.get_by_label("Type d'organisme").select_option("bibliotheque")
    page.get_by_label("Région administrative").select_option("11")
    page.get_by_label("Municipalité", exact=True).fill("Gaspé")
    page.get_by_label("Anglais").check()
    page.get_by_label("Votre nom").fill("Dominique Roy")
    page.get_by_label("Votre courriel").fill("dominique@biblio-gaspe.example")
    page.get_by_label("Mot de passe", exact=True).fill("lecture-pour-tous")
    page.get_by_label("Confirmation du mot de passe").fill("lecture-pour-tous")
    page.get_by_role("button", name="Inscrire l'organisme").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez vos courriels"

    assert send_pending()["sent"] == 1
    [message] = smtp_server.to("dominique@biblio-gaspe.example")
    page.goto(link_paths(message)[0])
    # The link signs in and leads to the organizer's workspace.
    assert "Votre adresse courriel est confirmée" in page.locator(".flashes").inner_text()
    assert page.url.endswith("/mes-activites")
    assert page.get_by_role("link", name="Mon organisme").is_visible()
    page.get_by_role("link", name="Mon organisme").click()
    assert page.get_by_label("Nom de l'organisme").input_value() == "Bibliothèque de Gaspé"
    assert page.get_by_label("Municipalité", exact=True).input_value() == "Gaspé"
