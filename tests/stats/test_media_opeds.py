"""Media log and op-eds: staff record them, the comparison computes its figures from them."""
import io

import sqlalchemy as sa

from gstp.audit.models import AuditEntry
from gstp.editions.models import Edition
from gstp.extensions import db
from gstp.stats.comparison import build_comparison
from gstp.stats.models import MediaResult, OpEd
from tests.factories import StaffFactory, UserFactory

PRESS_REVIEW = """date;media;titre;lien;portee;nomme_gstp;nomme_partenaire;region
2026-11-16;Le Soleil;Les tout-petits à l'honneur;https://example.org/a;120 000;oui;non;3
2026-11-17;Radio-Canada;Une semaine pour les 0-5 ans;;;oui;oui;
2026-11-18;Le Devoir;La petite enfance, une priorité;https://example.org/c;300000;non;oui;06
"""


def _rows(result) -> dict:
    return {row["key"]: row for row in result["rows"]}


def _upload(client, content: str, name="revue.csv"):
    return client.post("/equipe/statistiques/medias/import", data={
        "import-file": (io.BytesIO(content.encode("utf-8")), name)},
        content_type="multipart/form-data")


def test_press_review_import_computes_media_figures(client, as_user, history):
    as_user(StaffFactory())
    response = _upload(client, PRESS_REVIEW)
    assert response.status_code == 302
    again = _upload(client, PRESS_REVIEW)  # the same review twice adds nothing
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(MediaResult.id))) == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Les tout-petits à l&#39;honneur" in page and "Résultats enregistrés (3)" in page

    rows = _rows(build_comparison(edition_ids=[history[2020].id, history[2026].id]))
    assert rows["media_results"]["values"] == [421, 3]
    assert rows["media_results"]["states"] == ["entered", "measured"]
    assert rows["media_reach"]["values"] == [118_000_000, 420_000]  # unknown reach not 0
    assert rows["media_naming_gstp"]["values"] == [320, 2]
    assert rows["media_naming_partner"]["values"] == [290, 2]
    montreal = _rows(build_comparison(edition_ids=[history[2026].id], region_code="06"))
    assert montreal["media_results"]["values"] == [1]


def test_a_faulty_press_review_adds_nothing(client, as_user, history):
    as_user(StaffFactory())
    bad = PRESS_REVIEW + "16/11/2026;La Presse;Titre;;;oui;non;\n"
    response = _upload(client, bad)
    assert response.status_code == 400
    assert "ligne 5" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MediaResult.id))) == 0


def test_staff_log_one_result_and_delete_it(client, as_user, history):
    as_user(StaffFactory())
    form = {"result-published_on": "2026-11-19", "result-outlet": "CKRL",
            "result-title": "Entrevue", "result-url": "", "result-reach": "",
            "result-names_gstp": "y", "result-region_code": "03"}
    assert client.post("/equipe/statistiques/medias", data=form).status_code == 302
    result = db.session.scalar(sa.select(MediaResult))
    assert result.edition.year == 2026 and result.reach is None and result.names_gstp
    rows = _rows(build_comparison(edition_ids=[history[2026].id]))
    assert rows["media_reach"]["states"] == ["unknown"]  # no reach known: not 0
    assert rows["media_results"]["values"] == [1]
    missing = client.post("/equipe/statistiques/medias", data={**form, "result-outlet": ""})
    assert missing.status_code == 400 and "Indiquez le média." in missing.get_data(as_text=True)
    assert client.post(f"/equipe/statistiques/medias/{result.id}/supprimer").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(MediaResult.id))) == 0
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"media_result.create", "media_result.delete"} <= actions


def test_edition_without_media_log_is_unknown_not_zero(app, editions):
    rows = _rows(build_comparison(edition_ids=[editions.e2025.id, editions.e2026.id]))
    assert rows["media_results"]["states"] == ["unknown", "unknown"]
    assert rows["oped_signatories"]["values"] == [None, None]


def test_op_ed_signatories_make_the_edition_count(client, as_user, history):
    as_user(StaffFactory())
    data = {"title": "Les tout-petits d'abord", "published_on": "2026-11-15",
            "outlets": "Le Devoir\nLa Presse\n\nLe Soleil",
            "signatories": "Marie Tremblay ; directrice ; Association A\n"
                           "Paul Roy ; président ; Réseau B\nAnne Côté"}
    assert client.post("/equipe/statistiques/lettres-ouvertes/nouvelle",
                       data=data).status_code == 302
    second = {**data, "title": "Deuxième lettre", "outlets": "le devoir",
              "signatories": "marie tremblay ; directrice ; Association A\nLuc Gagnon"}
    client.post("/equipe/statistiques/lettres-ouvertes/nouvelle", data=second)
    op_ed = db.session.scalar(sa.select(OpEd).filter_by(title="Les tout-petits d'abord"))
    assert [(s.name, s.role, s.organization) for s in op_ed.signatories] == [
        ("Marie Tremblay", "directrice", "Association A"), ("Paul Roy", "président", "Réseau B"),
        ("Anne Côté", "", "")]
    assert op_ed.edition.year == 2026 and op_ed.outlet_list == ["Le Devoir", "La Presse",
                                                                "Le Soleil"]
    rows = _rows(build_comparison(edition_ids=[history[2020].id, history[2026].id]))
    assert rows["oped_signatories"]["values"] == [60, 4]  # Marie Tremblay signed twice
    assert rows["oped_signatories"]["states"] == ["entered", "measured"]
    assert rows["oped_outlets"]["values"] == [6, 3]
    listing = client.get("/equipe/statistiques/lettres-ouvertes").get_data(as_text=True)
    assert "3 signataires" in listing and "Le Devoir, La Presse, Le Soleil" in listing
    edit = client.get(f"/equipe/statistiques/lettres-ouvertes/{op_ed.id}").get_data(as_text=True)
    assert "Paul Roy ; président ; Réseau B" in edit
    client.post(f"/equipe/statistiques/lettres-ouvertes/{op_ed.id}",
                data={**data, "signatories": "Paul Roy"})
    assert [s.name for s in db.session.get(OpEd, op_ed.id).signatories] == ["Paul Roy"]
    op_ed_id, edition_id = op_ed.id, op_ed.edition_id
    client.post(f"/equipe/statistiques/lettres-ouvertes/{op_ed_id}/supprimer")
    assert db.session.get(OpEd, op_ed_id) is None
    assert db.session.get(Edition, edition_id) is not None  # the edition stays


def test_records_pages_are_for_staff_only(client, as_user):
    as_user(UserFactory())
    for url in ("/equipe/statistiques/medias", "/equipe/statistiques/lettres-ouvertes",
                "/equipe/statistiques/lettres-ouvertes/nouvelle"):
        assert client.get(url).status_code == 403, url
    assert client.post("/equipe/statistiques/medias/import").status_code == 403
