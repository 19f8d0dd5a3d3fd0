"""CSV and XLSX exports of the comparison, read back: qualifiers and integers kept."""
import csv
import io

from openpyxl import load_workbook

from tests.factories import StaffFactory
from tests.stats.factories import MetricDefinitionFactory, MetricValueFactory


def _query(editions, region=None):
    query = f"?editions={editions.e2025.id}&editions={editions.e2026.id}"
    return query + (f"&region={region}" if region else "")


def _csv(response, delimiter=";") -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_csv_export_has_every_table(client, as_user, editions):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.csv" + _query(editions))
    assert response.status_code == 200
    assert 'filename="statistiques-2025-2026.csv"' in response.headers["Content-Disposition"]
    rows = _csv(response)
    by_label = {(r[0], r[1]): r for r in rows[1:]}
    # table, label, group, unit, 2025, 2025 as reported, 2026, 2026 as reported, change, %
    assert by_label[("Comparaison", "Activités publiées")][4:] == ["3", "3", "5", "5", "2",
                                                                     "66,7"]
    assert by_label[("Comparaison", "Organismes de retour")][4:] == ["1", "1", "3", "3", "2",
                                                                       "200"]
    assert by_label[("Activités par région", "Sans région (virtuel ou non localisé)")][2:8] == [
        "0", "0", "1", "1", "1", "base nulle"]
    assert by_label[("Activités par format", "Virtuel")][2:6] == ["0", "0", "2", "2"]
    # 2 activities for ~750,000 people: 0.027 per 10,000 reads better as 0.27 per 100,000.
    density = by_label[("Pour 100\u202f000 habitants", "Capitale-Nationale")]
    assert density[2] == "03" and float(density[5].replace(",", ".")) > 0


def test_csv_in_english_uses_commas_and_points(client, as_user, editions):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.csv" + _query(editions) + "&lang=en")
    rows = {(r[0], r[1]): r for r in _csv(response, ",")[1:]}
    assert rows[("Comparison", "Published activities")][4:] == ["3", "3", "5", "5", "2",
                                                                  "66.7"]


def test_csv_export_with_region_filter(client, as_user, editions):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/export.csv" + _query(editions, "06"))
    assert "region-06" in response.headers["Content-Disposition"]
    activities = next(r for r in _csv(response) if r[:2] == ["Comparaison", "Activités publiées"])
    assert activities[4:8] == ["1", "1", "2", "2"]  # b3 | c3 c4


def test_exports_keep_qualifiers_and_integers_of_the_report(client, as_user, history):
    as_user(StaffFactory())
    query = f"?editions={history[2019].id}&editions={history[2020].id}"
    rows = {(r[0], r[1]): r for r in _csv(client.get("/equipe/statistiques/export.csv" + query))}
    assert rows[("Comparaison", "Activités publiées")][4:8] == ["", "—", "200", "200+"]
    signatories = rows[("Comparaison", "Signataires de lettres ouvertes")]
    assert signatories[4:8] == ["", "—", "60", "~60"]
    media = rows[("Comparaison", "Résultats médiatiques")]
    assert media[4:10] == ["337", "337", "421", "421", "84", "24,9"]
    reach = rows[("Comparaison", "Portée médiatique (personnes)")]
    assert reach[4:8] == ["85000000", "~85\u202f000\u202f000", "118000000",
                          "~118\u202f000\u202f000"]
    assert rows[("Comparaison", "Nouveaux organismes")][4:10] == ["", "—", "", "—", "",
                                                                  "n. d."]

    workbook = load_workbook(io.BytesIO(
        client.get("/equipe/statistiques/export.xlsx" + query).data))
    sheet = {row[0].value: row for row in workbook["Comparaison"].iter_rows(min_row=2)}
    media = sheet["Résultats médiatiques"]
    assert [c.value for c in media[3:7]] == [337, "337", 421, "421"]
    assert isinstance(media[3].value, int) and media[3].number_format == "#,##0"
    activities = sheet["Activités publiées"]
    assert [c.value for c in activities[3:7]] == [None, "—", 200, "200+"]
    assert activities[6].data_type == "s" and activities[5].data_type == "n"
    assert sheet["Signataires de lettres ouvertes"][6].value == "~60"


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
                                   "Activités par public", "Pour 100 000 habitants"]
    sheet = workbook["Comparaison"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    activities = rows["Activités publiées"]
    assert [c.value for c in activities[3:9]] == [3, "3", 5, "5", 2, 66.7]
    assert [c.data_type for c in activities[3:9]] == ["n", "s", "n", "s", "n", "n"]
    trap = rows['=HYPERLINK("http://x.example","clic") — +1 groupe']
    assert trap[0].data_type == "s"  # text, never a formula
    assert [c.value for c in trap[3:7]] == [None, "—", 7, "7"]
    assert trap[8].value == "n. d."  # no 2025 value: no % change
    density = {r[1].value: r for r in workbook["Pour 100 000 habitants"].iter_rows(min_row=2)}
    assert density["06"][2].data_type == "n" and density["06"][2].value > 1_900_000
