"""Staff import the directory from the web: change report first, then confirmation."""
import io

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial, OfficialConflict
from tests.factories import StaffFactory, UserFactory
from tests.letters.helpers import mayor, mna

FILE = ("level,seat_code,civility,full_name,email,office_address\n"
        "municipal,23027,monsieur,Bruno Marchand,maire@quebec.example,\n"
        "municipal,34025,monsieur,Jean-Claude Léveillée,dg@donnacona.example,\n"
        "provincial,767,madame,Jolène Charlesbourg,charlesbourg@assnat.example,"
        "\"7260, boul. Henri-Bourassa, Québec\"\n")


def _count(model=ElectedOfficial) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


def _upload(client, text: str, **form):
    data = {"fichier": (io.BytesIO(text.encode()), "elus.csv"), **form}
    return client.post("/lettres/elus/import", data=data, content_type="multipart/form-data")


def test_review_then_confirm_the_import(client, as_user):
    import_officials(rows=read_csv("level,seat_code,full_name,email\n"
                                   "municipal,34025,Jean-Claude Léveillée,dg@donnacona.example\n"
                                   "municipal,05045,Lucie Gagnon,\n"))
    donnacona = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == "34025"))
    donnacona.email, donnacona.staff_fields = "maire@donnacona.example", ["email"]
    db.session.commit()
    as_user(StaffFactory())
    assert "Importer un fichier" in client.get("/lettres/elus").get_data(as_text=True)
    review = _upload(client, FILE)
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    summary = page[page.index('id="import-summary"'):page.index("</table>")]
    counts = [cell.split("<")[0] for cell in summary.split("<td>")[1:]]
    # added 2 (Québec, Charlesbourg), updated 1 (Donnacona: civility confirmed), conflicts 1,
    # deactivated 1 (Bonaventure, absent from the file).
    assert counts[:4] == ["2", "1", "1", "1"]
    assert "Jean-Claude Léveillée — Courriel : équipe « maire@donnacona.example », " \
           "fichier « dg@donnacona.example »" in page
    assert _count() == 2 and _count(OfficialConflict) == 0  # nothing saved yet
    content = page.split('<textarea name="content" hidden aria-hidden="true">')[1]
    content = content.split("</textarea>")[0].replace("&#34;", '"').replace("&#39;", "'")
    response = client.post("/lettres/elus/import", data={
        "confirm": "1", "filename": "elus.csv", "content": content})
    assert response.status_code == 302
    assert _count() == 4 and _count(OfficialConflict) == 1
    charlesbourg = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == "767"))
    assert charlesbourg.office_address == "7260, boul. Henri-Bourassa, Québec"
    assert charlesbourg.civility == "madame" and charlesbourg.email
    db.session.refresh(donnacona)
    assert donnacona.email == "maire@donnacona.example"
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "officials.imported"))
    assert entry.details["file"] == "elus.csv" and entry.details["added"] == 2
    assert entry.details["conflicts"] == 1 and entry.details["deactivated"] == 1


def test_import_keeps_missing_when_asked_and_refuses_bad_files(client, as_user):
    mayor("05045", "Lucie Gagnon")
    mna("767", "Député sans courriel")
    as_user(StaffFactory())
    directory_page = client.get("/lettres/elus").get_data(as_text=True)
    assert 'id="mna-missing-email"' in directory_page and "1 député·e sans courriel" \
        in directory_page
    page = _upload(client, FILE, keep_missing="1").get_data(as_text=True)
    assert 'name="keep_missing" value="1"' in page
    bad = _upload(client, "level,full_name\nmunicipal,X\n")
    assert bad.status_code == 400 and "Colonnes manquantes" in bad.get_data(as_text=True)
    latin1 = client.post("/lettres/elus/import", data={
        "fichier": (io.BytesIO(FILE.encode("latin-1")), "elus.csv")},
        content_type="multipart/form-data")
    assert latin1.status_code == 400 and "UTF-8" in latin1.get_data(as_text=True)
    assert client.post("/lettres/elus/import", data={}).status_code == 400


def test_import_page_is_for_staff_only(client, as_user):
    assert client.get("/lettres/elus/import").status_code == 302
    as_user(UserFactory())
    assert client.get("/lettres/elus/import").status_code == 403
    assert _upload(client, FILE).status_code == 403
    assert _count() == 0
