"""The privacy policy: public page, person in charge from configuration, staff versions."""
import sqlalchemy as sa

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.privacy.models import PolicyVersion
from tests.factories import StaffFactory, UserFactory


def test_policy_page_in_french_and_english_names_the_person_in_charge(app, client):
    app.config.update(PRIVACY_OFFICER_NAME="Josée Lavoie",
                      PRIVACY_OFFICER_CONTACT="vie-privee@collectif.example")
    try:
        html = client.get("/confidentialite").get_data(as_text=True)
        english = client.get("/confidentialite?lang=en").get_data(as_text=True)
    finally:
        app.config.update(PRIVACY_OFFICER_NAME="",
                          PRIVACY_OFFICER_CONTACT="confidentialite@gstp.example")
    assert "<h1>Politique de confidentialité</h1>" in html
    assert "Responsable de la protection des renseignements personnels : Josée Lavoie" in html
    assert 'href="mailto:vie-privee@collectif.example"' in html
    assert "Témoins (cookies)" in html and "gstp_lieu" in html
    assert "<h1>Privacy policy</h1>" in english and "Cookies</h2>" in english
    assert "Josée Lavoie" in english


def test_every_page_links_to_the_policy_and_the_sign_up_form_too(client):
    for path in ("/", "/activites", "/connexion"):
        assert 'href="/confidentialite"' in client.get(path).get_data(as_text=True), path
    signup = client.get("/inscription").get_data(as_text=True)
    assert signup.count('href="/confidentialite"') == 2  # footer and the form itself


def test_staff_edit_the_text_and_each_version_is_in_the_journal(client, as_user):
    staff = StaffFactory(name="Agente Équipe")
    as_user(staff)
    form = client.get("/equipe/confidentialite").get_data(as_text=True)
    assert "## En bref" in form
    response = client.post("/equipe/confidentialite", data={
        "body": "## Nouveau titre\n\nNous gardons <b>peu</b> de choses.\n\n- un\n- deux"})
    assert response.status_code == 302
    assert client.post("/equipe/confidentialite?langue=en", data={
        "body": "## New title\n\nLittle."}).status_code == 302
    html = client.get("/confidentialite").get_data(as_text=True)
    assert "<h2>Nouveau titre</h2>" in html and "<li>un</li><li>deux</li>" in html
    assert "&lt;b&gt;peu&lt;/b&gt;" in html  # staff write words, never markup
    assert "<h2>New title</h2>" in client.get("/confidentialite?lang=en").get_data(as_text=True)

    # The same text again is no new version; a change is, with before → after.
    client.post("/equipe/confidentialite", data={
        "body": "## Nouveau titre\n\nNous gardons <b>peu</b> de choses.\n\n- un\n- deux"})
    client.post("/equipe/confidentialite", data={"body": "## Titre\n\nAutre texte."})
    versions = db.session.scalars(sa.select(PolicyVersion).where(
        PolicyVersion.language == "fr")).all()
    assert len(versions) == 2
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "privacy_policy.edited").order_by(AuditEntry.id)).all()
    assert [e.details["language"] for e in entries] == ["fr", "en", "fr"]
    assert entries[-1].details["changes"]["body"][0].startswith("## Nouveau titre")
    assert entries[-1].actor_id == staff.id
    journal = client.get("/equipe/journal").get_data(as_text=True)
    assert "a modifié la politique de confidentialité" in journal


def test_only_staff_edit_the_policy(client, as_user):
    assert client.get("/equipe/confidentialite").status_code == 302
    as_user(UserFactory())
    assert client.get("/equipe/confidentialite").status_code == 403
    assert client.post("/equipe/confidentialite", data={"body": "x"}).status_code == 403
    assert db.session.scalar(sa.select(PolicyVersion)) is None


def test_an_empty_text_is_refused_in_french(client, as_user):
    as_user(StaffFactory())
    html = client.post("/equipe/confidentialite", data={"body": "  "}).get_data(as_text=True)
    assert "La politique ne peut pas être vide." in html
    assert client.get("/equipe/confidentialite?langue=xx").status_code in (400, 404)
