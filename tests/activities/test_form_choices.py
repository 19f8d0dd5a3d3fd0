"""No preselected choice, one required mark beside each required label, an error summary."""
import re
from html import unescape

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory

MARK = '<span class="required" aria-hidden="true">*</span>'


def _form_page(client, as_user):
    open_edition()
    as_user(UserFactory())
    return unescape(client.get("/mes-activites/nouvelle").get_data(as_text=True))


def test_category_audience_and_format_start_unchosen(client, as_user):
    html = _form_page(client, as_user)
    for name in ("category", "audience"):
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
        # The blank option comes first and nothing is selected, so the browser shows it.
        assert re.search(r"<option[^>]*>[^<]*</option>", select).group(0) == (
            '<option value="">— Choisir —</option>')
        assert "selected" not in select
    radios = re.findall(r'<input[^>]*name="format"[^>]*>', html)
    assert len(radios) == 3 and not any("checked" in radio for radio in radios)


def test_every_required_label_is_followed_by_the_mark(client, as_user):
    html = _form_page(client, as_user)
    for field_id, text in (("title", "Titre de l'activité"), ("description", "Description"),
                           ("category", "Type d'activité"), ("audience", "Public"),
                           ("occurrences-0-day", "Date")):
        assert f'<label for="{field_id}">{text}</label> {MARK}' in html
    assert f'<legend class="label">Formule {MARK}</legend>' in html
    assert '<label for="venue_name">Nom du lieu</label>\n' in html  # optional: no mark


def test_blank_choices_are_refused_with_clear_messages_and_a_linked_summary(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    response = client.post("/mes-activites/nouvelle", data=form_data(
        edition, category="", audience="", format=None, title=""))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0
    summary = re.search(r'<div class="error-summary" role="alert" tabindex="-1".*?</div>',
                        html, re.S).group(0)
    assert ('<a href="#title">Titre de l\'activité : Indiquez le titre de l\'activité.</a>'
            in summary)
    assert '<a href="#category">Type d\'activité : Choisissez un type d\'activité.</a>' in summary
    assert '<a href="#audience">Public : Choisissez un public.</a>' in summary
    assert '<a href="#format">Formule : Choisissez une formule.</a>' in summary
    assert summary.count("Choisissez une formule.") == 1
    assert 'id="format"' in html  # the summary's link has a target
    # What was typed stays.
    assert "Lecture d'albums et comptines" in html


def _refused(client, as_user, path="/mes-activites/nouvelle", **overrides) -> str:
    edition = open_edition()
    as_user(UserFactory())
    html = unescape(client.post(path, data=form_data(edition, **overrides)).get_data(
        as_text=True))
    assert db.session.scalar(db.select(db.func.count(Activity.id))) == 0
    return html


def test_invalid_choice_is_refused(client, as_user):
    assert "Choisissez une formule." in _refused(client, as_user, format="par_pigeon")


def test_summary_in_english(client, as_user):
    html = _refused(client, as_user, "/mes-activites/nouvelle?lang=en", category="")
    assert "— Choose —" in html
    assert '<a href="#category">Type of activity: ' in html
