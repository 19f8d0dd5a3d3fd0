"""Many activities from a spreadsheet: templates, preview with errors by cell, confirmation."""
import csv
import io
import re
from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from gstp.activities.models import Activity, ActivityState
from gstp.activities.spreadsheet import COLUMNS, MAX_ROWS
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from tests.activities.helpers import open_edition
from tests.factories import ActivityFactory, UserFactory

HEADERS = [c.french for c in COLUMNS]
TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def _imports_dir(app, tmp_path, monkeypatch):
    """Previews waiting for confirmation are kept in the test's own directory."""
    monkeypatch.setitem(app.config, "IMPORTS_DIR", str(tmp_path / "imports"))


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _text(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def _row(edition, title: str, day_offset: int = 2, **cells) -> dict:
    day = edition.starts_on + timedelta(days=day_offset)
    row = {"titre": title, "description": "Comptines et albums pour les tout-petits.",
           "type": "Éveil à la lecture et à l'écriture", "public": "familles",
           "formule": "en personne", "langue": "fr", "gratuit": "oui", "adresse":
           "350, rue Saint-Joseph Est", "code_postal": "G1K 3B2", "municipalite": "Québec",
           "date": day.strftime("%d/%m/%Y"), "debut": "10:00", "fin": "11h30"}
    row.update(cells)
    return row


def _csv(rows: list[dict], headers=HEADERS, delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(client, data: bytes, name: str = "activites.csv"):
    return client.post("/mes-activites/importer",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Activity.id)))


def test_templates_in_french_and_english(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    response = client.get("/mes-activites/importer/modele.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(book["Activités"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][0] == "Heure du conte des tout-petits"
    assert rows[1][HEADERS.index("date")] == (edition.starts_on + timedelta(2)).strftime(
        "%d/%m/%Y")
    full = load_workbook(io.BytesIO(response.data))
    lists = {str(v.sqref): v.formula1 for v in full["Activités"].data_validations.dataValidation}
    assert "eveil_lecture_ecriture" in lists["C2:C501"]  # type
    assert lists["E2:E501"] == '"en personne,virtuel,hybride"'  # formule
    explained = [r[0] for r in book["Explications"].iter_rows(values_only=True)]
    assert "titre" in explained and "eveil_lecture_ecriture" in explained
    english = load_workbook(io.BytesIO(client.get(
        "/mes-activites/importer/modele.xlsx?en=1").data), read_only=True)
    assert next(english["Activities"].iter_rows(values_only=True))[:2] == ("title",
                                                                         "description")
    text = client.get("/mes-activites/importer/modele.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("titre,description,type,public")
    assert client.get("/mes-activites/importer/modele.pdf").status_code == 404


def test_preview_shows_errors_by_cell_and_saves_nothing_until_confirmed(client, as_user):
    edition = open_edition()
    user = UserFactory()
    as_user(user)
    rows = [_row(edition, "Éveil musical"), _row(edition, "Bricolage d'automne", 3),
            _row(edition, "Pique-nique", 30),
            _row(edition, "Conte en ligne", formule="virtuel", adresse="", code_postal="",
                 municipalite="", lien_virtuel=""),
            _row(edition, "Danse", type="Danse contemporaine", gratuit="peut-être",
                 debut="dix heures")]
    response = _upload(client, _csv(rows))
    page = _page(response)
    assert response.status_code == 200
    assert "2 ligne(s) prête(s) sur 5." in page
    start, end = (d.strftime("%d/%m/%Y") for d in (edition.starts_on, edition.ends_on))
    assert (f"Colonne « date » ({rows[2]['date']}) : La date doit être pendant la semaine, "
            f"du {start} au {end}.") in _text(page)
    assert ("Colonne « lien_virtuel » : Le lien est obligatoire pour une activité virtuelle "
            "ou hybride.") in _text(page)
    assert ("Colonne « type » (Danse contemporaine) : « Danse contemporaine » n'est pas un "
            "choix possible") in _text(page)
    assert "Colonne « gratuit » (peut-être) : Écrivez oui ou non." in _text(page)
    assert ("Colonne « debut » (dix heures) : L'heure doit avoir la forme 10:00."
            in _text(page))
    assert "Québec, Capitale-Nationale" in page
    assert _count() == 0

    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post("/mes-activites/importer/confirmer", data={"token": token},
                           follow_redirects=True)
    assert "2 activités envoyées" in _page(response)
    created = db.session.scalars(db.select(Activity).order_by(Activity.title)).all()
    assert [(a.title, a.state, a.municipality_code, a.region_code) for a in created] == [
        ("Bricolage d'automne", ActivityState.SUBMITTED, "23027", "03"),
        ("Éveil musical", ActivityState.SUBMITTED, "23027", "03")]
    musical = created[1].occurrences[0]
    assert (musical.starts_at.astimezone(TORONTO).strftime("%Y-%m-%d %H:%M"),
            musical.ends_at.astimezone(TORONTO).strftime("%H:%M")) == (
        f"{edition.starts_on + timedelta(2)} 10:00", "11:30")
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "organization.activities_imported"))
    assert entry.details["activities"] == 2 and entry.details["rows_with_errors"] == 3
    assert db.session.scalars(db.select(OutboxMessage.kind)).all() == ["activity.imported"]

    response = client.post("/mes-activites/importer/confirmer", data={"token": token},
                           follow_redirects=True)
    assert "Cet import n'est plus disponible" in _page(response)
    assert _count() == 2


def test_an_xlsx_template_filled_in_is_read(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    book = load_workbook(io.BytesIO(client.get("/mes-activites/importer/modele.xlsx").data))
    sheet = book["Activités"]
    sheet.cell(row=2, column=1, value="Heure du conte de novembre")
    sheet.cell(row=2, column=HEADERS.index("date") + 1,
               value=edition.starts_on + timedelta(days=4))  # a real date cell
    out = io.BytesIO()
    book.save(out)
    page = _page(_upload(client, out.getvalue(), "rempli.xlsx"))
    assert "1 ligne(s) prête(s) sur 1." in page


def test_english_headers_and_likely_duplicates(client, as_user):
    edition = open_edition()
    user = UserFactory()
    ActivityFactory(organization=user.organization, edition=edition,
                    title="Éveil musical des tout-petits")
    as_user(user)
    english = [c.english for c in COLUMNS]
    row = {c.english: _row(edition, "Éveil musical des tout-petits").get(c.french, "")
           for c in COLUMNS}
    page = _page(_upload(client, _csv([row, row], headers=english, delimiter=",")))
    assert "2 ligne(s) prête(s) sur 2." in page
    assert page.count("doublon probable") == 2 and "ligne 2 du fichier" in page


def _xlsx_without_header() -> bytes:
    book = Workbook()
    book.active.append(["Éveil musical", "2027-11-16"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    ("titre;date\nConte;16/11/2027".encode("latin-1") + "é".encode("latin-1"), "a.csv",
     "Le fichier CSV doit être enregistré en UTF-8"),
    (b"Conte;16/11/2027\n", "a.csv", "La première ligne doit contenir les en-têtes du modèle"),
    (b"", "a.csv", "Le fichier est vide."),
    (b"titre;date\n", "a.csv", "Le fichier ne contient aucune activité sous les en-têtes."),
    (b"PK\x03\x04 pas vraiment un classeur", "a.xlsx", "Ce fichier Excel est illisible"),
    (b"%PDF-1.4", "a.pdf", "Envoyez un fichier .xlsx ou .csv"),
    ("xlsx-no-header", "a.xlsx", "La première ligne doit contenir les en-têtes du modèle"),
    ("too-many", "a.csv", f"Le fichier contient plus de {MAX_ROWS} activités"),
])
def test_bad_files_are_refused_clearly_and_save_nothing(client, as_user, data, name, message):
    edition = open_edition()
    as_user(UserFactory())
    if data == "xlsx-no-header":
        data = _xlsx_without_header()
    elif data == "too-many":
        data = _csv([_row(edition, f"Conte {n}") for n in range(MAX_ROWS + 1)])
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert message in _page(response)
    assert _count() == 0


def test_no_file_and_someone_elses_preview(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    response = client.post("/mes-activites/importer", data={})
    assert "Choisissez le fichier à importer." in _page(response)
    page = _page(_upload(client, _csv([_row(edition, "Éveil musical")])))
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post("/deconnexion")
    as_user(UserFactory())
    response = client.post("/mes-activites/importer/confirmer", data={"token": token},
                           follow_redirects=True)
    assert "Cet import n'est plus disponible" in _page(response)
    response = client.post("/mes-activites/importer/confirmer", data={"token": "../../x"},
                           follow_redirects=True)
    assert "Cet import n'est plus disponible" in _page(response)
    assert _count() == 0


def test_a_file_over_the_size_limit_is_refused(client, as_user):
    open_edition()
    as_user(UserFactory())
    response = _upload(client, b"titre;date\n" + b"x" * (3 * 1024 * 1024), "gros.csv")
    assert response.status_code == 413
    assert _count() == 0
