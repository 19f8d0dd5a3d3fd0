"""Reading queued e-mails in the browser: staff always, anyone in the local demo."""
import re
from html import unescape

from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.reading import html_document, linked_text
from gstp.mail.services import queue_mail
from tests.factories import StaffFactory, UserFactory


def _verification_mail() -> OutboxMessage:
    """The real verification e-mail of a newcomer, queued through the real templates."""
    user = UserFactory(name="Camille", email="camille@famille.example")
    row = queue_mail(to=user.email, subject="Confirmez votre adresse", template="verify_email",
                     kind="user.verify", user=user, link="http://localhost/confirmer/jeton-abc",
                     days=3)
    db.session.commit()
    return row


def test_staff_read_subject_recipient_text_and_html(client, as_user):
    row = _verification_mail()
    as_user(StaffFactory())
    listing = client.get("/equipe/courriels/").get_data(as_text=True)
    assert f'href="/equipe/courriels/{row.id}"' in listing
    html = client.get(f"/equipe/courriels/{row.id}").get_data(as_text=True)
    assert "Confirmez votre adresse" in html and "camille@famille.example" in html
    # The text part: escaped, its address a link opening outside the page.
    assert ('<a href="http://localhost/confirmer/jeton-abc" rel="noopener noreferrer" '
            'target="_blank">http://localhost/confirmer/jeton-abc</a>') in html
    # The HTML part: in a sandboxed frame that may open links but never run scripts.
    frame = re.search(r'<iframe[^>]*sandbox="([^"]*)"[^>]*srcdoc="([^"]*)"', html)
    assert frame and "allow-scripts" not in frame.group(1)
    assert "allow-same-origin" not in frame.group(1)
    document = unescape(frame.group(2))
    assert '<a href="http://localhost/confirmer/jeton-abc"' in document
    assert '<base target="_blank">' in document


def test_organizers_and_visitors_cannot_read_outside_the_demo(client, as_user):
    row = _verification_mail()
    assert client.get(f"/equipe/courriels/{row.id}").status_code == 302  # to sign in
    as_user(UserFactory())
    assert client.get(f"/equipe/courriels/{row.id}").status_code == 403
    assert client.get("/equipe/courriels/").status_code == 403


def test_demo_outbox_is_open_to_a_newcomer_but_retry_stays_staff_only(app, client):
    row = _verification_mail()
    app.config["MAIL_OUTBOX_OPEN"] = True
    try:
        listing = client.get("/equipe/courriels/").get_data(as_text=True)
        html = client.get(f"/equipe/courriels/{row.id}").get_data(as_text=True)
        retry = client.post(f"/equipe/courriels/{row.id}/reessayer")
    finally:
        app.config["MAIL_OUTBOX_OPEN"] = False
    assert "Démonstration : aucun serveur de courriel" in listing
    assert "Réessayer maintenant" not in listing
    assert "http://localhost/confirmer/jeton-abc" in html
    assert retry.status_code == 302 and "/connexion" in retry.headers["Location"]


def test_unknown_message_is_404(client, as_user):
    as_user(StaffFactory())
    assert client.get("/equipe/courriels/999999").status_code == 404


def test_scripts_styles_and_javascript_links_are_removed_from_the_html_part():
    document = html_document(
        '<p onclick="steal()">Bonjour<script>alert(1)</script></p><style>p{}</style>'
        '<a href="javascript:alert(1)">piège</a><img src="https://pisteur.example/1.gif">'
        '<a href="https://gstp.example/ok">lien</a>')
    assert "script" not in document and "onclick" not in document and "<style" not in document
    assert "javascript:" not in document and "pisteur" not in document
    assert '<a href="https://gstp.example/ok" rel="noopener noreferrer">lien</a>' in document
    assert html_document(None) == ""


def test_text_part_is_escaped_and_trailing_punctuation_stays_outside_the_link():
    text = str(linked_text("Voir <b>https://gstp.example/a?b=1&c=2</b>. Fin"))
    assert "&lt;b&gt;" in text
    assert 'href="https://gstp.example/a?b=1&amp;c=2"' in text
    assert "</a>&lt;/b&gt;. Fin" in text


def test_english_labels(client, as_user):
    row = _verification_mail()
    as_user(StaffFactory())
    html = client.get(f"/equipe/courriels/{row.id}?lang=en").get_data(as_text=True)
    assert "Text version" in html and "Back to e-mails" in html
