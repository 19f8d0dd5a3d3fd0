"""Computed figures against the editions counted by hand in conftest.py."""
import pytest
import sqlalchemy as sa

from gstp.extensions import db
from gstp.geo.models import Municipality
from gstp.stats import queries


def _totals(editions, region_code=None):
    ids = [editions.e2024.id, editions.e2025.id, editions.e2026.id]
    totals = queries.computed_figures(ids, region_code)["totals"]
    return {key: [per.get(i, 0) for i in ids] for key, per in totals.items()}


def test_totals_for_three_editions_at_once(editions):
    totals = _totals(editions)
    #                                    2024 2025 2026
    assert totals["activities"] == [2, 3, 5]           # a1 a2 | b1 b2 b3 | c1..c5
    assert totals["activities_cancelled"] == [0, 1, 1]  # b4 | c6 (b5 submitted: nowhere)
    assert totals["organizations"] == [2, 2, 4]         # A C | A B | A B C D
    assert totals["organizations_new"] == [2, 1, 1]     # A C | B | D (2025: not published)
    assert totals["organizations_returning"] == [0, 1, 3]  # - | A | A B C
    assert totals["municipalities"] == [2, 3, 2]        # Qc Mtl | Qc BSP Mtl | Qc Mtl
    assert totals["mrc"] == [2, 3, 2]                   # 23 66 | 23 16 66 | 23 66
    assert totals["regions"] == [2, 2, 2]               # c5 has no region: not counted
    assert totals["attendance_reports"] == [0, 2, 1]    # b1 b3 | c1
    assert totals["attendance_children"] == [0, 15, 20]  # 10+5 | 20
    assert totals["attendance_adults"] == [0, 15, 15]   # 8+7 | 15
    assert totals["attendance_organizations"] == [0, 1, 2]  # 1+0 | 2


def test_region_filter_narrows_every_figure(editions):
    totals = _totals(editions, "03")
    assert totals["activities"] == [1, 2, 2]            # a1 | b1 b2 | c1 c2
    assert totals["activities_cancelled"] == [0, 0, 1]  # c6
    assert totals["organizations"] == [1, 1, 2]         # A | A | A B
    # B's first published activity was in Montréal in 2025: still returning in 03 in 2026.
    assert totals["organizations_new"] == [1, 0, 0]
    assert totals["organizations_returning"] == [0, 1, 2]
    assert totals["municipalities"] == [1, 2, 1]
    assert totals["mrc"] == [1, 2, 1]
    assert totals["regions"] == [1, 1, 1]
    assert totals["attendance_children"] == [0, 10, 20]
    assert totals["attendance_adults"] == [0, 8, 15]
    montreal = _totals(editions, "06")
    assert montreal["organizations_new"] == [1, 1, 1]       # C | B | D
    assert montreal["organizations_returning"] == [0, 0, 1]  # C (2024, cancelled in 2025)


def test_breakdowns_by_region_category_format_audience(editions):
    e25, e26 = editions.e2025.id, editions.e2026.id
    counts = queries.computed_figures([e25, e26])["breakdowns"]
    assert counts["region"] == {"03": {e25: 2, e26: 2}, "06": {e25: 1, e26: 2}, None: {e26: 1}}
    assert counts["category"] == {
        "eveil_lecture_ecriture": {e25: 1, e26: 2}, "acces_culture": {e25: 2},
        "evenement_communautaire": {e26: 1}, "developpement_global": {e26: 1},
        "droits_plaidoyer": {e26: 1}}
    assert counts["format"] == {"in_person": {e25: 2, e26: 2}, "hybrid": {e25: 1, e26: 1},
                                "virtual": {e26: 2}}
    assert counts["audience"] == {
        "familles": {e25: 1, e26: 3}, "intervenants": {e25: 1}, "grand_public": {e25: 1},
        "futurs_parents": {e26: 1}, "elus": {e26: 1}}
    assert queries.computed_figures([e26], "06")["breakdowns"]["format"] == {"in_person": {e26: 1},
                                                         "hybrid": {e26: 1}}


def _population(region_code: str) -> int:
    rows = db.session.scalars(sa.select(Municipality.population).where(
        Municipality.region_code == region_code))
    return sum(p or 0 for p in rows)


def test_activities_per_10000_inhabitants(editions):
    e25, e26 = editions.e2025.id, editions.e2026.id
    ratios = queries.computed_figures([e25, e26])["per_10k"]
    pop03, pop06 = _population("03"), _population("06")
    assert pop03 > 700_000 and pop06 > 1_900_000  # sanity: Capitale-Nationale, Montréal
    assert ratios["03"][e25] == pytest.approx(2 * 10_000 / pop03)
    assert ratios["03"][e26] == pytest.approx(2 * 10_000 / pop03)
    assert ratios["06"][e25] == pytest.approx(1 * 10_000 / pop06)
    assert ratios["06"][e26] == pytest.approx(2 * 10_000 / pop06)
    assert set(ratios) == {"03", "06"}
    assert set(queries.computed_figures([e26], "06")["per_10k"]) == {"06"}
    populations = {r["code"]: r["population"] for r in queries.regions_with_population()}
    assert len(populations) == 17 and populations["03"] == pop03


def test_editions_with_data_are_newest_first(editions):
    assert [e.year for e in queries.editions_with_data()] == [2026, 2025, 2024]
