"""Workspace journeys in Chromium: reading mail without a mail server,
embedding the calendar in a partner's page, adding a poster."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from playwright.sync_api import expect

from gstp.extensions import db
from gstp.organizations.models import User
from tests.activities.helpers import open_edition
from tests.browser_fixtures import sign_in
from tests.factories import ActivityFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_outbox(app, live_server):
    """The local demo's settings: outbox open to all, mail links pointing at this server."""
    saved = {key: app.config[key] for key in ("MAIL_OUTBOX_OPEN", "PUBLIC_BASE_URL")}
    app.config.update(MAIL_OUTBOX_OPEN=True, PUBLIC_BASE_URL=live_server)
    yield
    app.config.update(saved)


def test_new_organization_reads_its_verification_mail_in_the_outbox(page, demo_outbox):
    open_edition()
    page.goto("/inscription")
    page.get_by_label("Nom de l'organisme").fill("Maison de la famille de Lévis")
    page.get_by_label("Type d'organisme").select_option("organisme_famille")
    page.get_by_label("Région administrative").select_option("12")
    page.get_by_label("Votre nom").fill("Camille Roy")
    page.get_by_label("Votre courriel").fill("camille@mf-levis.example")
    page.get_by_label("Mot de passe", exact=True).fill("familles-de-levis")
    page.get_by_label("Confirmation du mot de passe").fill("familles-de-levis")
    page.get_by_role("button", name="Inscrire l'organisme").click()
    page.wait_for_load_state()

    # No mail server: the confirmation page leads to the outbox, like a letter opener.
    page.get_by_role("link", name="Lire le courriel dans la boîte d'envoi").click()
    row = page.get_by_role("row").filter(has_text="camille@mf-levis.example")
    row.get_by_role("link").click()
    page.wait_for_load_state()
    expect(page.get_by_text("camille@mf-levis.example")).to_be_visible()
    # The HTML part is shown in its sandboxed frame, its link inside.
    frame = page.frame_locator("iframe.mail-html")
    expect(frame.get_by_role("link", name="Confirmer mon adresse courriel")).to_be_visible()
    # The text part's link is clickable; it opens in a new tab.
    text_link = page.locator("pre.mail-text a").first
    text_link.focus()  # the long address wraps: the keyboard, not a point on the line
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    confirmation = opened.value
    confirmation.wait_for_load_state()
    confirmation.close()
    user = db.session.scalar(db.select(User).where(User.email == "camille@mf-levis.example"))
    assert user.email_verified_at is not None

    page.goto("/mes-activites")
    if "/connexion" in page.url:  # the confirmation may or may not have signed in
        sign_in(page, "camille@mf-levis.example", "familles-de-levis")
    page.goto("/mes-activites")
    expect(page.get_by_role("link", name="Proposer une activité")).to_be_visible()


class _PartnerSite:
    """A partner's web page on another origin, holding the pasted snippet."""

    def __init__(self, html: str):
        body = html.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's API
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        # "localhost" and not 127.0.0.1: another site than the app's, as a partner's is.
        self.url = f"http://localhost:{self.server.server_port}/"

    def close(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


def test_partner_copies_a_snippet_whose_page_renders_inside_a_frame(page, app, live_server):
    edition = open_edition()
    activity = ActivityFactory(edition=edition, title="Grande matinée des tout-petits")
    ActivityFactory(edition=edition, title="Jeux à Rimouski", region_code="01",
                    municipality_code="10043", latitude=48.45, longitude=-68.52)
    db.session.commit()
    app.config["PUBLIC_BASE_URL"] = live_server
    try:
        page.goto("/activites?region=03")
        page.get_by_role("link", name="Intégrer le calendrier").click()
        page.get_by_label("English").check()
        page.get_by_label("Sombre").check()
        preview = page.frame_locator("#embed-preview")
        expect(preview.get_by_role("link", name="Grande matinée des tout-petits")).to_be_visible()
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_role("button", name="Copier le code").click()
        expect(page.locator("#embed-copied")).to_have_text("Code copié.")
        snippet = page.evaluate("navigator.clipboard.readText()")
        assert snippet == page.locator("#embed-snippet").input_value()
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://localhost"
    assert snippet.startswith(f'<iframe src="{live_server}/integre/activites?region=03')
    assert "lang=en" in snippet and "theme=dark" in snippet

    partner = _PartnerSite(f"<!doctype html><title>Partenaire</title><h1>Notre région</h1>"
                           f"{snippet}<iframe id='ordinary' src='{live_server}/activites'>"
                           f"</iframe>")
    try:
        page.goto(partner.url)
        frame = page.frame_locator("iframe[src*='integre']")
        link = frame.get_by_role("link", name="Grande matinée des tout-petits")
        link.wait_for()
        assert frame.get_by_text("Jeux à Rimouski").count() == 0
        assert "theme-dark" in frame.locator("body").get_attribute("class")
        # Ordinary pages still refuse to be framed.
        ordinary = page.locator("#ordinary").element_handle().content_frame()
        assert "Jeux à Rimouski" not in ordinary.content()  # blocked: an error page instead
        # No cookie was set by the framed calendar.
        assert page.context.cookies(live_server) == []
        link.click()
        page.wait_for_url(f"{live_server}/activites/{activity.id}")
        expect(page.get_by_role("heading", name="Grande matinée des tout-petits")).to_be_visible()
    finally:
        partner.close()


def test_organizer_adds_a_poster(page, app, tmp_path, monkeypatch):
    edition = open_edition()
    user = UserFactory()
    activity = ActivityFactory(edition=edition, organization=user.organization,
                               title="Heure du conte illustrée")
    db.session.commit()
    poster = tmp_path / "affiche.jpg"
    Image.new("RGB", (900, 1200), (240, 180, 40)).save(poster, "JPEG")
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path / "affiches"))
    sign_in(page, user.email)
    page.goto(f"/mes-activites/{activity.id}/modifier")
    page.get_by_label("En personne").check()
    page.get_by_label("Affiche (image)").set_input_files(str(poster))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    # Without its alternative text the poster is refused, with a summary on top.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="Texte de remplacement de l'affiche").click()
    page.get_by_label("Texte de remplacement de l'affiche").fill(
        "Un livre ouvert sur fond jaune")
    expect(page.locator("figure.poster-current img")).to_be_visible()  # kept, not re-chosen
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "Activité enregistrée." in page.content()

    page.goto(f"/activites/{activity.id}")
    image = page.get_by_role("img", name="Un livre ouvert sur fond jaune")
    image.wait_for()
    # Loaded and not enlarged: the 900 px wide original stays 900 px wide.
    assert page.evaluate("(img) => img.complete && img.naturalWidth",
                         image.element_handle()) == 900
