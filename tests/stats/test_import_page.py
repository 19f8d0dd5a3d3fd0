"""Staff import entered figures from the web: change report first, then confirmation."""
import io

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.stats.models import MetricValue
from gstp.stats.services import BUILTIN_METRICS
from tests.factories import StaffFactory, UserFactory


def _values() -> int:
    return db.session.scalar(db.select(db.func.count(MetricValue.id)))


def _upload(client, text: str):
    return client.post("/equipe/statistiques/import", content_type="multipart/form-data",
                       data={"fichier": (io.BytesIO(text.encode()), "chiffres.csv")})


def test_review_then_confirm_a_metrics_file(client, as_user):
    text = BUILTIN_METRICS.read_text(encoding="utf-8")
    expected = sum(1 for line in text.splitlines()[1:] if line.split(",")[0])
    as_user(StaffFactory())
    assert "Importer des chiffres (CSV)" in client.get(
        "/equipe/statistiques/indicateurs").get_data(as_text=True)
    page = _upload(client, text).get_data(as_text=True)
    assert 'id="import-summary"' in page and "2019 medias_resultats = 337 : created" in page
    assert _values() == 0  # the review saved nothing
    content = page.split('<textarea name="content" hidden aria-hidden="true">')[1]
    content = content.split("</textarea>")[0]
    for entity, char in (("&#34;", '"'), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"),
                         ("&amp;", "&")):
        content = content.replace(entity, char)
    response = client.post("/equipe/statistiques/import", data={
        "confirm": "1", "filename": "chiffres.csv", "content": content})
    assert response.status_code == 302
    assert 0 < _values() <= expected
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "metrics.imported"))
    assert entry.details["file"] == "chiffres.csv"
    assert entry.details["values"]["created"] == _values()
    again = _upload(client, text).get_data(as_text=True)  # same file: nothing would change
    assert "created" not in again.split('id="import-summary"')[1].split("</ul>")[0]


def test_metrics_import_is_for_staff_only(client, as_user):
    as_user(UserFactory())
    assert client.get("/equipe/statistiques/import").status_code == 403


def test_metrics_import_refuses_bad_files(client, as_user):
    as_user(StaffFactory())
    bad = _upload(client, "key,year\nx,2020\n")
    assert bad.status_code == 400 and "colonnes manquantes" in bad.get_data(as_text=True)
    assert _values() == 0
