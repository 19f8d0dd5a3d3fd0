"""Figure states: measured, entered with its qualifier, or unknown (« — », never 0).

The 2019 and 2020 editions come from the builtin report figures, as the source documents
give them; those editions were not run on the platform.
"""
from datetime import date

from flask_babel import force_locale

from gstp.editions.models import Edition
from gstp.editions.services import ensure_editions
from gstp.extensions import db
from gstp.stats.comparison import build_comparison
from tests.factories import EditionFactory, StaffFactory


def _rows(result) -> dict:
    return {row["key"]: row for row in result["rows"]}


def test_editions_before_the_platform_have_no_computed_figures(app, history):
    result = build_comparison(edition_ids=[history[2019].id, history[2020].id])
    rows = _rows(result)
    for key in ("activities_cancelled", "organizations", "organizations_new", "regions",
                "attendance_children", "letters_provincial_answered"):
        assert rows[key]["values"] == [None, None], key
        assert rows[key]["states"] == ["unknown", "unknown"], key
        assert rows[key]["changes"][1]["reason"] == "missing", key
    # Entered figures standing in for computed ones fill their row, as reported.
    assert rows["activities"]["values"] == [None, 200]
    assert rows["activities"]["states"] == ["unknown", "entered"]
    assert rows["activities"]["qualifiers"] == [None, "at_least"]
    assert rows["letters_provincial_sent"]["values"] == [None, 125]
    assert rows["letters_municipal_sent"]["values"] == [None, 1131]
    assert rows["letters_municipal_sent"]["changes"][1]["reason"] == "missing"
    assert "lettres_elus_provinciaux" not in rows  # not a second row beside the computed one
    for table in result["tables"]:
        assert all(r["values"] == [None, None] for r in table["rows"])
    assert all(d["values"] == [None, None] for d in result["density"])


def test_report_figures_stay_as_the_source_gives_them(app, history):
    rows = _rows(build_comparison(edition_ids=[history[2019].id, history[2020].id]))
    media = rows["media_results"]
    assert media["values"] == [337, 421] and media["qualifiers"] == ["exact", "exact"]
    assert media["states"] == ["entered", "entered"]  # totals of the report, marked so
    assert media["changes"][1] == {"absolute": 84, "percent": 24.9, "reason": None,
                                   "approximate": False}
    reach = rows["media_reach"]
    assert reach["values"] == [85_000_000, 118_000_000]
    assert reach["qualifiers"] == ["approximate", "approximate"]
    assert reach["changes"][1]["approximate"] is True
    assert rows["media_naming_gstp"]["values"] == [None, 320]
    assert rows["media_naming_partner"]["values"] == [None, 290]
    assert rows["oped_signatories"]["values"] == [None, 60]
    assert rows["oped_signatories"]["qualifiers"] == [None, "approximate"]
    assert rows["oped_outlets"]["values"] == [None, 6]


def test_measured_edition_against_an_entered_one(app, history):
    rows = _rows(build_comparison(edition_ids=[history[2020].id, history[2026].id]))
    activities = rows["activities"]
    assert activities["values"] == [200, 3]
    assert activities["states"] == ["entered", "measured"]
    assert activities["changes"][1]["approximate"] is True  # from « 200+ »
    # The first edition on the platform cannot tell new organizations from returning ones.
    assert rows["organizations_new"]["states"] == ["unknown", "unknown"]
    assert rows["organizations"]["values"] == [None, 3]
    assert rows["letters_provincial_sent"]["values"] == [125, 0]
    assert rows["letters_provincial_sent"]["states"] == ["entered", "measured"]


def test_page_shows_unknown_as_a_dash_never_zero(client, as_user, history):
    as_user(StaffFactory())
    html = client.get(f"/equipe/statistiques?editions={history[2019].id}"
                      f"&editions={history[2020].id}").get_data(as_text=True)
    row = html.split("Nouveaux organismes")[1].split("</tr>")[0]
    assert row.count('class="num unknown">—') == 2 and ">0<" not in row
    letters = html.split("Lettres envoyées aux élus provinciaux")[1].split("</tr>")[0]
    assert "125" in letters and "base nulle" not in letters
    assert "200+" in html.split("Activités publiées")[1].split("</tr>")[0]
    assert "+24,9 %" in html.replace("\u00a0", " ")


def test_editions_created_after_their_week_were_not_run_on_the_platform(app):
    ensure_editions(2021, today=date(2021, 11, 16))
    editions = {e.year: e.on_platform for e in db.session.scalars(db.select(Edition))}
    assert editions == {2016: False, 2017: False, 2018: False, 2019: False, 2020: False,
                        2021: True}


def test_edition_labels_use_ordinals_and_mark_the_demo(app):
    first, fifth = EditionFactory(year=2016), EditionFactory(year=2020)
    demo = EditionFactory(year=2027, is_demo=True)
    with app.test_request_context("/"), force_locale("fr"):
        assert [str(first), str(fifth)] == ["1re édition (2016)", "5e édition (2020)"]
        assert str(demo) == "12e édition (2027) — démonstration"
    with app.test_request_context("/"), force_locale("en"):
        assert [str(first), str(fifth)] == ["1st edition (2016)", "5th edition (2020)"]
        assert str(demo) == "12th edition (2027) — demo"
    from gstp.i18n import ordinal

    assert [ordinal(n, "en") for n in (2, 3, 11, 12, 13, 21, 22, 111)] == [
        "2nd", "3rd", "11th", "12th", "13th", "21st", "22nd", "111th"]
