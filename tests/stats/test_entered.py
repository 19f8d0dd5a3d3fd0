"""Entered figures: the import command (builtin and any CSV) and the staff forms."""
import sqlalchemy as sa

from gstp.audit.models import AuditEntry
from gstp.editions.models import Edition
from gstp.editions.services import ensure_editions
from gstp.extensions import db
from gstp.stats.models import MetricDefinition, MetricValue, Qualifier
from tests.factories import EditionFactory, StaffFactory, UserFactory
from tests.stats.factories import MetricDefinitionFactory, MetricValueFactory


def _values() -> dict:
    rows = db.session.execute(
        sa.select(MetricDefinition.key, Edition.year, MetricValue.value, MetricValue.qualifier)
        .join(MetricValue.definition).join(MetricValue.edition))
    return {(key, year): (value, qualifier) for key, year, value, qualifier in rows}


def test_builtin_import_loads_the_report_figures_and_is_idempotent(runner):
    result = runner.invoke(args=["gstp", "import-metrics", "--builtin"])
    assert result.exit_code == 0, result.output
    assert ("Définitions : 10 créées, 0 modifiées, 0 inchangées. "
            "Valeurs : 11 créées, 0 modifiées, 0 inchangées.") in result.output
    values = _values()
    assert values[("medias_resultats", 2019)] == (337, Qualifier.EXACT)
    assert values[("medias_resultats", 2020)] == (421, Qualifier.EXACT)
    assert values[("medias_portee", 2019)] == (85_000_000, Qualifier.APPROXIMATE)
    assert values[("medias_portee", 2020)] == (118_000_000, Qualifier.APPROXIMATE)
    assert values[("medias_mention_gstp", 2020)] == (320, Qualifier.EXACT)
    assert values[("medias_mention_partenaire", 2020)] == (290, Qualifier.EXACT)
    assert values[("lettre_ouverte_signataires", 2020)] == (60, Qualifier.APPROXIMATE)
    assert values[("lettre_ouverte_medias", 2020)] == (6, Qualifier.EXACT)  # six dailies
    assert values[("lettres_elus_provinciaux", 2020)] == (125, Qualifier.EXACT)
    assert values[("lettres_elus_municipaux", 2020)] == (1131, Qualifier.EXACT)
    assert values[("activites_province_bilan", 2020)] == (200, Qualifier.AT_LEAST)
    survey = db.session.scalar(sa.select(MetricDefinition).filter_by(
        key="sondage_place_importante"))
    assert survey.kind.value == "yes_no_count" and "Membres du Collectif" in survey.description
    assert db.session.scalar(sa.select(sa.func.count(MetricValue.id)).filter_by(
        definition_id=survey.id)) == 0  # collected: staff enter the answers
    editions = {e.year: e for e in db.session.scalars(sa.select(Edition))}
    assert sorted(editions) == [2016, 2017, 2018, 2019, 2020]  # created as needed
    assert editions[2020].number == 5 and editions[2016].number == 1

    again = runner.invoke(args=["gstp", "import-metrics", "--builtin"])
    assert again.exit_code == 0
    assert again.output.strip() == ("Définitions : 0 créées, 0 modifiées, 10 inchangées. "
                                    "Valeurs : 0 créées, 0 modifiées, 11 inchangées.")
    assert db.session.scalar(sa.select(sa.func.count(MetricValue.id))) == 11


def test_import_of_a_csv_reports_what_changed(runner, tmp_path):
    runner.invoke(args=["gstp", "import-metrics", "--builtin"])
    path = tmp_path / "bilan.csv"
    path.write_text(
        "key,year,value,qualifier,region_code,breakdown,label_fr\n"
        "medias_resultats,2020,\"425\",,,,\n"
        "medias_resultats,2019,337,,,,\n"
        "sondage_place_importante,2020,41,,,Membres du Collectif — oui,\n"
        "medias_resultats,2020,12,,03,,\n", encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-metrics", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[:3] == ["2020 medias_resultats = 425 : updated",
                         "2020 sondage_place_importante [Membres du Collectif — oui] = 41"
                         " : created",
                         "2020 medias_resultats 03 = 12 : created"]
    assert "Valeurs : 2 créées, 1 modifiées, 1 inchangées." in lines[-1]
    province = db.session.scalar(sa.select(MetricValue.value).join(MetricValue.definition).join(
        MetricValue.edition).where(MetricDefinition.key == "medias_resultats",
                                   Edition.year == 2020, MetricValue.region_code.is_(None)))
    assert province == 425
    # The label was not in this file: the builtin one stays.
    assert db.session.scalar(sa.select(MetricDefinition.label_en).filter_by(
        key="medias_resultats")) == "Media results about early childhood during the week"


def test_import_next_to_existing_editions_keeps_their_numbers(runner):
    ensure_editions(2021)
    db.session.commit()
    assert runner.invoke(args=["gstp", "import-metrics", "--builtin"]).exit_code == 0
    editions = {e.year: e for e in db.session.scalars(sa.select(Edition))}
    assert editions[2021].number == 6 and str(editions[2021].starts_on) == "2021-11-14"
    assert db.session.scalar(sa.select(sa.func.count(MetricValue.id)).where(
        MetricValue.edition_id == editions[2020].id)) == 9


def test_import_refuses_a_bad_file_and_keeps_nothing(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("key,year,value\nnouveau,2020,12\nautre,2020,douze\n", encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-metrics", str(path)])
    assert result.exit_code != 0 and "ligne 3" in result.output and "douze" in result.output
    assert db.session.scalar(sa.select(sa.func.count(MetricDefinition.id))) == 0
    neither = runner.invoke(args=["gstp", "import-metrics"])
    assert neither.exit_code != 0


def test_staff_adds_a_definition_then_enters_and_corrects_values(client, as_user):
    edition = EditionFactory(year=2025)
    staff = StaffFactory()
    as_user(staff)
    bad = client.post("/equipe/statistiques/indicateurs", data={
        "key": "Mauvaise clé", "label_fr": "Abonnés infolettre", "kind": "number",
        "sort_order": "5"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Lettres minuscules, chiffres" in html
    assert 'value="Abonnés infolettre"' in html  # what was typed is kept
    created = client.post("/equipe/statistiques/indicateurs", data={
        "key": "abonnes_infolettre", "label_fr": "Abonnés infolettre",
        "label_en": "Newsletter subscribers", "unit": "personnes", "kind": "number",
        "sort_order": "5", "description": "", "stands_for": "organizations"})
    definition = db.session.scalar(sa.select(MetricDefinition).filter_by(key="abonnes_infolettre"))
    assert definition.stands_for == "organizations"
    assert created.status_code == 302 and created.headers["Location"].endswith(
        f"/indicateurs/{definition.id}")
    url = f"/equipe/statistiques/indicateurs/{definition.id}"
    form = {"edition_id": str(edition.id), "value": "1 131,5", "qualifier": "approximate",
            "region_code": "", "breakdown": "", "source": "Bilan", "note": ""}
    assert client.post(url, data=form).status_code == 302
    value = db.session.scalar(sa.select(MetricValue))
    assert value.value == 1131.5 and value.qualifier is Qualifier.APPROXIMATE
    assert value.entered_by_id == staff.id
    again = client.post(url, data={**form, "value": "1200"}, follow_redirects=True)
    assert "Valeur mise à jour." in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MetricValue.id))) == 1
    assert db.session.scalar(sa.select(MetricValue.value)) == 1200
    wrong = client.post(url, data={**form, "value": "beaucoup"})
    assert "Indiquez un nombre, par exemple" in wrong.get_data(as_text=True)
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"metric_definition.create", "metric_value.create", "metric_value.update"} <= actions


def test_staff_deletes_a_value_and_organizer_cannot(client, as_user):
    value = MetricValueFactory(definition=MetricDefinitionFactory(), value=3)
    as_user(UserFactory())
    assert client.post(f"/equipe/statistiques/valeurs/{value.id}/supprimer").status_code == 403
    client.post("/deconnexion")
    as_user(StaffFactory())
    page = client.get(f"/equipe/statistiques/indicateurs/{value.definition_id}")
    assert page.status_code == 200 and "Supprimer" in page.get_data(as_text=True)
    response = client.post(f"/equipe/statistiques/valeurs/{value.id}/supprimer")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(MetricValue.id))) == 0


def test_import_refuses_years_that_are_not_plain_digits_or_not_plausible(runner, tmp_path):
    for year in ("2⁰2⁰", "²⁰²⁰", "9999", "20"):
        path = tmp_path / "annee.csv"
        path.write_text(f"key,year,value\nnouveau,{year},12\n", encoding="utf-8")
        result = runner.invoke(args=["gstp", "import-metrics", str(path)])
        assert result.exit_code != 0, year
        assert "ligne 2" in result.output and "invalide" in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert db.session.scalar(sa.select(sa.func.count(MetricDefinition.id))) == 0
