"""Every journal line in words, in both languages: figures, imports, places, officials."""
from html import unescape

from gstp.activities.placement.services import relocate_activity
from gstp.extensions import db
from gstp.letters import services as letters
from gstp.stats.models import MetricDefinition
from gstp.stats.services import import_metrics, parse_metrics_csv
from tests.factories import ActivityFactory, EditionFactory, StaffFactory
from tests.letters.helpers import mayor

HEADER = ("key,label_fr,label_en,unit,kind,sort_order,description,stands_for,year,value,"
          "qualifier,region_code,breakdown,source,note\n")
ROWS = ("sondage_place_importante,Place importante de la GSTP,Important place of the GSTP,"
        "réponses,number,90,,,2020,1131,exact,03,,Sondage 2020,\n")


def _journal(client, lang="fr", **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/equipe/journal?{query}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_imported_figures_are_named_and_their_values_written_as_numbers(client, as_user,
                                                                        tmp_path):
    staff = StaffFactory()
    EditionFactory(year=2020)
    path = tmp_path / "indicateurs.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    import_metrics(rows=parse_metrics_csv(path), actor=staff)
    definition = db.session.scalar(db.select(MetricDefinition))
    db.session.commit()
    as_user(staff)
    french = _journal(client)
    for raw in ("sondage_place_importante", "1131.0", "key :", "value :", "region :",
                f"Indicateur {definition.id}", "Valeur d'indicateur "):
        assert raw not in french, raw
    assert "a créé l'indicateur" in french and "« Place importante de la GSTP »" in french
    assert "Valeur : 1\u202f131" in french or "Valeur : 1\xa0131" in french
    assert "Région : Capitale-Nationale (03)" in french
    assert "Édition : 2020" in french
    english = _journal(client, "en")
    assert "Important place of the GSTP" in english and "Value : 1,131" in english
    assert "sondage_place_importante" not in english


def test_a_relocation_names_the_mrc_like_the_region(client, as_user):
    staff = StaffFactory()
    activity = ActivityFactory(edition=EditionFactory(year=2026), mrc_code=None,
                               region_code=None, district_code=None)
    relocate_activity(activity=activity, actor=staff, latitude=46.8139, longitude=-71.2245)
    db.session.commit()
    as_user(staff)
    html = _journal(client, action="activity.relocated")
    assert "<ins>Capitale-Nationale (03)</ins>" in html
    assert "<ins>Québec (23)</ins>" in html  # the MRC by its name, not « 23 »


def test_an_official_edit_is_told_field_by_field(client, as_user):
    staff = StaffFactory()
    official = mayor("23027", "Bruno Marchand", civility="")
    letters.update_official(official=official, actor=staff, full_name="Bruno Marchand",
                            civility="monsieur", civility_guessed=False, title="",
                            salutation="", party="Équipe Marchand", email=official.email,
                            postal_address=official.postal_address, phone=None, active=True)
    db.session.commit()
    as_user(staff)
    html = _journal(client, action="official.updated")
    assert "a modifié la fiche de l'élu" in html
    assert '<th scope="row">Parti</th>' in html and "<ins>Équipe Marchand</ins>" in html
    assert "party" not in html and "['" not in html
