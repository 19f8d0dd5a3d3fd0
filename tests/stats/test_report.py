"""The board report: printable page and PDF, with charts, notes on entered figures and
the data sources."""
import io
import re

from tests.factories import StaffFactory, UserFactory


def _query(history):
    return f"?editions={history[2019].id}&editions={history[2020].id}&editions={history[2026].id}"


def test_printable_report_with_charts_notes_and_sources(client, as_user, history):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/rapport" + _query(history))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Comparaison des éditions 2019, 2020, 2026" in html
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) >= 3 and all("<script" not in svg for svg in svgs)
    activities = next(svg for svg in svgs if "<title>Activités publiées</title>" in svg)
    assert "200+*" in activities and "—" in activities  # entered 2020, unknown 2019
    assert "Bilan 2020-2021 du Collectif petite enfance" in html  # source of the entered
    assert "dont les chiffres calculés sont mesurés : 2026." in html
    assert "environ 118 millions" in html  # the note of an entered figure
    assert "Activités publiées sur la plateforme" in html


def test_report_pdf_holds_the_comparison(client, as_user, history):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/rapport.pdf" + _query(history))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert 'filename="rapport-2019-2020-2026.pdf"' in response.headers["Content-Disposition"]
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Comparaison des éditions 2019, 2020, 2026" in flat
    assert "Bilan 2020-2021 du Collectif petite enfance" in flat
    assert "200+" in flat and "421" in flat


def test_report_is_for_staff_only(client, as_user):
    as_user(UserFactory())
    assert client.get("/equipe/statistiques/rapport").status_code == 403
    assert client.get("/equipe/statistiques/rapport.pdf").status_code == 403
