"""CSV and XLSX exports of the comparison, read back."""
import csv
import io

from openpyxl import load_workbook

from tests.factories import StaffFactory
from tests.stats.factories import MetricDefinitionFactory, MetricValueFactory


def _query(editions, region=None):
    query = f"?editions={editions.e2025.id}&editions={editions.e2026.id}"
    return query + (f"&region={region}" if region else "")


def test_csv_export_has_every_table(client, as_user, editions):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.csv" + _query(editions))
    assert response.status_code == 200
    assert 'filename="statistiques-2025-2026.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_label = {(r[0], r[1]): r for r in rows[1:]}
    # table, label, group, unit, 2025, 2026, change, % change
    assert by_label[("Comparaison", "Activités publiées")][4:] == ["3", "5", "2", "66.7"]
    assert by_label[("Comparaison", "Organismes de retour")][4:] == ["1", "3", "2", "200.0"]
    assert by_label[("Activités par région", "Sans région (virtuel ou non localisé)")][2:6] == [
        "0", "1", "1", "base nulle"]
    assert by_label[("Activités par format", "Virtuel")][2:4] == ["0", "2"]
    density = by_label[("Pour 10 000 habitants", "Capitale-Nationale")]
    assert density[2] == "03" and float(density[5]) > 0


def test_csv_export_with_region_filter(client, as_user, editions):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.csv" + _query(editions, "06"))
    assert "region-06" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    activities = next(r for r in rows if r[:2] == ["Comparaison", "Activités publiées"])
    assert activities[4:6] == ["1", "2"]  # b3 | c3 c4


def test_xlsx_export_numbers_and_no_formula(client, as_user, editions):
    evil = MetricDefinitionFactory(key="piege", label_fr='=HYPERLINK("http://x.example","clic")',
                                   unit="")
    MetricValueFactory(edition=editions.e2026, definition=evil, value=7,
                       breakdown="+1 groupe")
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.xlsx" + _query(editions))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Comparaison", "Activités par région",
                                   "Activités par catégorie", "Activités par format",
                                   "Activités par public", "Pour 10 000 habitants"]
    sheet = workbook["Comparaison"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    activities = rows["Activités publiées"]
    assert [c.value for c in activities[3:7]] == [3, 5, 2, 66.7]
    assert all(c.data_type == "n" for c in activities[3:7])
    trap = rows['=HYPERLINK("http://x.example","clic") — +1 groupe']
    assert trap[0].data_type == "s"  # text, never a formula
    assert [c.value for c in trap[3:5]] == [None, 7]
    assert trap[6].value == "n. d."  # no 2025 value: no % change
    density = {r[1].value: r for r in workbook["Pour 10 000 habitants"].iter_rows(min_row=2)}
    assert density["06"][2].data_type == "n" and density["06"][2].value > 1_900_000
