"""CSV formula injection and e-mail header injection."""
import csv
import io

import pytest
import sqlalchemy as sa

from gstp.exports import csv_response, csv_text, safe_cell
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.mail.services import UnsafeHeader, queue_mail

DANGEROUS = [
    "=HYPERLINK(\"https://evil.example\",\"clic\")", "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)",
    "\t=1+1", "\r=1+1", " =1+1", "  +cmd|' /C calc'!A0", "\n=1+1", "\u00a0=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_prefixes_are_quoted(value):
    cell = safe_cell(value)
    assert cell.startswith("'"), repr(cell)
    assert cell[1:] == value  # the visible text is unchanged


@pytest.mark.parametrize("value", ["Atelier = jeu", "Montréal", "", "a-b", "courriel@x.ca"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


def test_numbers_and_booleans_stay_values():
    assert safe_cell(-3) == "-3" and safe_cell(2.5) == "2.5"
    assert safe_cell(True) == "oui" and safe_cell(None) == ""


def test_csv_file_round_trip_keeps_cells_inert(app):
    text = csv_text(["Nom", "=Titre"], [["=cmd|'/C calc'!A0", " @x"], ["Ana", 4]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Nom", "'=Titre"], ["'=cmd|'/C calc'!A0", "' @x"], ["Ana", "4"]]
    with app.test_request_context():
        response = csv_response("export.csv", ["a"], [["+1"]])
    assert response.headers["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert "'+1" in response.get_data(as_text=True)


@pytest.fixture
def mail_template(app, tmp_path):
    """A one-line e-mail template, served from a temporary folder added to the loader."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "essai_securite.txt").write_text("Bonjour {{ name }}")
    original = app.jinja_loader
    app.jinja_env.loader = ChoiceLoader([original, FileSystemLoader(str(tmp_path))])
    yield "essai_securite"
    app.jinja_env.loader = original


@pytest.mark.parametrize("field", ["to", "subject", "reply_to"])
@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r"])
def test_queue_mail_refuses_line_breaks_in_headers(app, mail_template, field, line_break):
    arguments = {"to": "ana@example.org", "subject": "Inscription", "reply_to": "x@example.org"}
    arguments[field] += f"{line_break}Bcc: victime@example.org"
    with app.test_request_context():
        with pytest.raises(UnsafeHeader):
            queue_mail(template=mail_template, name="Ana", **arguments)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_queue_mail_accepts_clean_headers(app, mail_template):
    with app.test_request_context():
        message = queue_mail(to="ana@example.org", subject="Inscription confirmée",
                             reply_to="equipe@example.org", template=mail_template, name="Ana")
    assert message.to_address == "ana@example.org" and message.body_text == "Bonjour Ana"
