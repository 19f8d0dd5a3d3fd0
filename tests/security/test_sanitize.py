"""Rich text cleaning against XSS payloads, the template filter and the plain-text form."""
import pytest
from flask import render_template_string

from gstp.security.sanitize import clean_html, html_to_text, safe_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<p onclick="alert(1)" style="color:red">x</p>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<<script>script>alert(1)<</script>/script>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<!--<script>alert(1)</script>-->",
    '<form action="https://evil.example"><input name=x></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_neutralised(payload):
    cleaned = clean_html(payload).lower()
    for danger in ("<script", "onerror", "onclick", "javascript:", "vbscript:", "data:",
                   "<img", "<svg", "<iframe", "<style", "style=", "<form", "<input", "<!--"):
        assert danger not in cleaned, (payload, cleaned)


def test_allowed_formatting_is_kept():
    text = ('<p>Atelier <strong>parents</strong> et <em>enfants</em><br>à la bibliothèque</p>'
            '<ul><li>lecture</li></ul><ol><li>jeux</li></ol>')
    assert clean_html(text) == text


def test_links_get_safe_rel_and_lose_target():
    cleaned = clean_html('<a href="https://gstp.example/a" target="_blank" rel="opener">lien</a>')
    assert cleaned == '<a href="https://gstp.example/a" rel="nofollow noopener">lien</a>'
    assert 'href="mailto:info@gstp.example"' in clean_html(
        '<a href="mailto:info@gstp.example">courriel</a>')


def test_unknown_tags_keep_their_text():
    assert clean_html("<h1>Titre</h1><div>texte</div>") == "Titretexte"


def test_safe_html_filter_in_a_template(app):
    with app.test_request_context():
        html = render_template_string("{{ text|safe_html }}",
                                      text='<p>Bonjour</p><script>alert(1)</script>')
    assert html == "<p>Bonjour</p>"


def test_plain_text_keeps_paragraphs_and_is_escaped():
    plain = str(safe_html("Ligne 1\nLigne 2\n\nFin & co"))
    assert plain == "<p>Ligne 1<br>Ligne 2</p><p>Fin &amp; co</p>"
    assert str(safe_html(None)) == "" and clean_html("") == ""


def test_html_to_text_for_ical_and_email():
    text = ('<p>Atelier&nbsp;<strong>parents</strong> &amp; enfants</p>'
            '<ul><li>lecture</li><li>jeux</li></ul><p>Ligne<br>suivante</p>'
            '<script>alert(1)</script>')
    assert html_to_text(text) == (
        "Atelier parents & enfants\n\n- lecture\n- jeux\n\nLigne\nsuivante")
    assert html_to_text("Déjà du texte &amp; rien d'autre") == "Déjà du texte & rien d'autre"
    assert html_to_text(None) == ""
