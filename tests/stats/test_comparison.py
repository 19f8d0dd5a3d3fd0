"""The comparison page: changes, entered figures, region filter, charts data, permissions."""
import json
import re

import pytest

from gstp.stats.comparison import build_comparison
from gstp.stats.figures import change, rate_base, significant
from tests.factories import StaffFactory, UserFactory
from tests.stats.factories import MetricDefinitionFactory, MetricValueFactory


def _change(absolute, percent, reason=None, approximate=False):
    return {"absolute": absolute, "percent": percent, "reason": reason,
            "approximate": approximate}


def test_change_absolute_and_percent_with_zero_and_missing_base():
    assert change(337, 421) == _change(84, 24.9)
    assert change(5, 3) == _change(-2, -40.0)
    assert change(0, 4) == _change(4, None, "zero_base")
    assert change(None, 4) == _change(None, None, "missing")
    assert change(4, None)["reason"] == "missing"
    assert change(60, 66, approximate=True) == _change(6, 10.0, approximate=True)


@pytest.fixture
def media(editions):
    definition = MetricDefinitionFactory(key="medias_resultats", label_fr="Résultats médias",
                                         label_en="Media results (report)", sort_order=1)
    MetricValueFactory(edition=editions.e2025, definition=definition, value=337)
    MetricValueFactory(edition=editions.e2026, definition=definition, value=421)
    MetricValueFactory(edition=editions.e2026, definition=definition, value=50, region_code="03")
    return definition


def _row(result, key):
    return next(r for r in result["rows"] if r["key"] == key)


def test_comparison_rows_with_changes_and_entered_figures(app, editions, media):
    with app.test_request_context():
        result = build_comparison(edition_ids=[editions.e2026.id, editions.e2024.id,
                                               editions.e2025.id])
    assert [e.year for e in result["editions"]] == [2024, 2025, 2026]  # sorted by year
    activities = _row(result, "activities")
    assert activities["values"] == [2, 3, 5]
    assert activities["states"] == ["measured"] * 3
    assert activities["changes"][1] == _change(1, 50.0)
    assert activities["changes"][2] == _change(2, 66.7)
    cancelled = _row(result, "activities_cancelled")
    assert cancelled["changes"][1] == _change(1, None, "zero_base")
    entered = _row(result, "medias_resultats")
    assert entered["source"] == "entered"
    assert entered["values"] == [None, 337, 421]  # province-wide only: the 03 value is apart
    assert entered["states"] == ["unknown", "entered", "entered"]
    assert entered["changes"][1]["reason"] == "missing"
    assert entered["changes"][2] == _change(84, 24.9)
    region_table = next(t for t in result["tables"] if t["dimension"] == "region")
    assert [(r["label"], r["values"]) for r in region_table["rows"]] == [
        ("Capitale-Nationale", [1, 2, 2]), ("Montréal", [1, 1, 2]),
        ("Sans région (virtuel ou non localisé)", [0, 0, 1])]


def test_region_filter_uses_regional_entered_values(app, editions, media):
    with app.test_request_context():
        result = build_comparison(edition_ids=[editions.e2025.id, editions.e2026.id],
                                  region_code="03")
    assert result["region_name"] == "Capitale-Nationale"
    assert _row(result, "activities")["values"] == [2, 2]
    assert _row(result, "activities")["changes"][1] == _change(0, 0.0)
    assert _row(result, "medias_resultats")["values"] == [None, 50]
    assert [d["code"] for d in result["density"]] == ["03"]


def test_anonymous_is_sent_to_login_and_organizer_refused(client, as_user, editions):
    response = client.get("/equipe/statistiques")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert client.get("/equipe/statistiques/export.xlsx").status_code == 302
    as_user(UserFactory())
    for url in ("/equipe/statistiques", "/equipe/statistiques/export.csv",
                "/equipe/statistiques/export.xlsx", "/equipe/statistiques/regions.geojson",
                "/equipe/statistiques/indicateurs"):
        assert client.get(url).status_code == 403, url


def _chart_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="stats-data">(.*?)</script>', html,
                      re.S)
    return json.loads(match.group(1))


def test_staff_page_defaults_to_two_latest_editions(client, as_user, editions, media):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = _chart_data(html)
    assert data["editions"] == ["2025", "2026"]
    activities = data["line"][0]
    assert activities["data"] == [3, 5]
    assert data["bars"]["labels"] == ["Capitale-Nationale", "Montréal"]
    assert data["bars"]["datasets"] == [{"label": "2025", "data": [2, 1]},
                                        {"label": "2026", "data": [2, 2]}]
    assert data["density"]["edition"] == "2026"
    assert data["density"]["values"]["01"] == 0  # no activity: shown, as 0
    assert "+66,7 %" in html.replace("\u00a0", " ")  # 3 → 5 activities
    assert "base nulle" in html  # "no region": 0 in 2025, 1 in 2026
    assert "<script>" not in html.split('id="stats-data"')[1].split("</script>")[0]
    assert 'href="/equipe/statistiques"' in html  # navigation link for staff


def test_page_with_chosen_editions_region_and_english(client, as_user, editions, media):
    as_user(StaffFactory())
    response = client.get(f"/equipe/statistiques?editions={editions.e2024.id}"
                          f"&editions={editions.e2026.id}&region=06&lang=en")
    html = response.get_data(as_text=True)
    assert _chart_data(html)["editions"] == ["2024", "2026"]
    assert "Published activities" in html and "Media results (report)" not in html
    assert "Montréal" in html


def test_regions_geojson_is_simplified(client, as_user):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques/regions.geojson")
    assert response.status_code == 200
    collection = response.get_json(force=True)
    codes = {f["properties"]["code"] for f in collection["features"]}
    assert len(codes) == 17 and len(collection["features"]) == 18  # Côte-Nord has two
    from gstp.geo.reference import DATA_DIR

    assert len(response.data) < (DATA_DIR / "regions.geojson").stat().st_size / 2


def test_page_without_any_data_says_so(client, as_user):
    as_user(StaffFactory())
    response = client.get("/equipe/statistiques")
    assert response.status_code == 200
    assert "Aucune édition n'a encore de données à comparer." in response.get_data(as_text=True)
    assert client.get("/equipe/statistiques/export.xlsx").status_code == 200


def test_significant_figures_and_the_base_that_reads_best():
    assert [significant(v) for v in (0.005123, 0.0278, 27.48, 1234.0, 0, None)] == [
        0.0051, 0.028, 27.0, 1200.0, 0, None]
    assert rate_base([0.027, 0.01, None, 0]) == 100_000
    assert rate_base([2.5, 0.4, 1.3]) == 10_000
    assert rate_base([]) == 10_000


def test_rates_per_100000_with_two_significant_figures(client, as_user, editions):
    with client.application.test_request_context():
        result = build_comparison(edition_ids=[editions.e2025.id, editions.e2026.id])
    assert result["rate_base"] == 100_000
    density = {d["code"]: d for d in result["density"]}
    population = density["03"]["population"]
    assert density["03"]["values"] == [significant(2 * 100_000 / population)] * 2
    assert all(len(str(v).replace("0.", "").lstrip("0")) <= 2 for v in density["03"]["values"])
    as_user(StaffFactory())
    html = client.get("/equipe/statistiques").get_data(as_text=True).replace("\u202f", " ")
    assert "Activités publiées pour 100 000 habitants (2026)" in html
    assert 'data-legend-title="Activités / 100 000 hab."' in html
    assert _chart_data(html)["density"]["base"] == 100_000
