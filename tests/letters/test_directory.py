"""Directory import: shipped mayors, councillors and MNAs, CSV updates and their report."""
import csv

from gstp.extensions import db
from gstp.geo.reference import DATA_DIR, LOCAL_DESIGNATION_CODES
from gstp.letters.builtin_officials import COUNCILLORS_FILE as COUNCILLORS
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial, OfficialLevel, OfficialRole


def _count(level: OfficialLevel, *, active: bool = True, role: OfficialRole | None = None) -> int:
    query = db.select(db.func.count(ElectedOfficial.id)).where(
        ElectedOfficial.level == level, ElectedOfficial.active.is_(active))
    return db.session.scalar(query.where(ElectedOfficial.role == role) if role else query)


def _expected_councillors() -> int:
    with COUNCILLORS.open(encoding="utf-8") as handle:
        return sum(1 for r in csv.DictReader(handle) if r["full_name"].lower() != "poste vacant")


def _expected_mayors() -> int:
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as handle:
        return sum(1 for r in csv.DictReader(handle)
                   if r["designation_code"] in LOCAL_DESIGNATION_CODES
                   and r["mayor"].strip() and r["mayor"].strip().lower() != "poste vacant")


def test_builtin_import_loads_mayors_and_mnas_unverified(runner):
    result = runner.invoke(args=["gstp", "import-officials", "--builtin"])
    assert result.exit_code == 0, result.output
    mayors, councillors = _expected_mayors(), _expected_councillors()
    assert mayors < 1122 and councillors == 6876  # some seats are vacant in the directory
    assert _count(OfficialLevel.MUNICIPAL, role=OfficialRole.MAYOR) == mayors
    assert _count(OfficialLevel.MUNICIPAL, role=OfficialRole.COUNCILLOR) == councillors
    assert _count(OfficialLevel.PROVINCIAL) == 127
    expected = mayors + councillors
    assert f"Ajoutés : {expected + 127}" in result.output
    assert db.session.scalar(db.select(db.func.count(ElectedOfficial.id))
                             .where(ElectedOfficial.verified.is_(True))) == 0
    montreal = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.level == OfficialLevel.MUNICIPAL, ElectedOfficial.seat_code == "66023"))
    assert montreal.region_code == "06" and montreal.municipality_code == "66023"
    assert montreal.email and "Montréal (Québec)" in montreal.postal_address
    # A second run changes nothing.
    again = runner.invoke(args=["gstp", "import-officials", "--builtin"])
    assert f"inchangés : {expected + 127}" in again.output and "Ajoutés : 0" in again.output


def test_second_import_reports_updates_and_deactivations(runner, tmp_path):
    runner.invoke(args=["gstp", "import-officials", "--builtin", "--level", "provincial"])
    assert _count(OfficialLevel.MUNICIPAL) == 0  # --level filtered the mayors out
    with (DATA_DIR / "mna_2026_unverified.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed, dropped = rows[0], rows[1]
    path = tmp_path / "deputes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["level", "seat_code", "title", "full_name", "party", "email",
                         "postal_address", "verified"])
        for row in rows:
            if row is dropped:
                continue
            party = "QS" if row is changed else row["party"]
            email = f"{row['CO_CEP']}@assnat.example" if row is changed else ""
            writer.writerow(["provincial", row["CO_CEP"], "", row["winner"], party,
                             email, "", "oui" if row is changed else "non"])
    result = runner.invoke(args=["gstp", "import-officials", str(path), "-v"])
    assert result.exit_code == 0, result.output
    assert "mis à jour : 126" in result.output  # every row lost the shipped postal address
    assert "désactivés : 1" in result.output
    assert f"désactivé provincial:{dropped['CO_CEP']}" in result.output
    official = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == changed["CO_CEP"]))
    assert official.party == "QS" and official.verified
    assert official.email == f"{changed['CO_CEP']}@assnat.example"
    assert f"party : '{changed['party']}' → 'QS'" in result.output
    assert _count(OfficialLevel.PROVINCIAL) == 126
    assert _count(OfficialLevel.PROVINCIAL, active=False) == 1


def test_unverified_row_never_overwrites_a_verified_official(app):
    rows = read_csv("level,seat_code,full_name,party,verified\n"
                    "provincial,689,Anne Exacte,PQ,oui\n")
    import_officials(rows=rows)
    report = import_officials(rows=read_csv("level,seat_code,full_name,party\n"
                                            "provincial,689,Nom Erroné,PLQ\n"))
    assert report.protected == ["provincial:689"] and not report.updated
    official = db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == "689"))
    assert official.full_name == "Anne Exacte" and official.party == "PQ"
    # A verified row does update it, and reports the changed fields.
    report = import_officials(rows=read_csv("level,seat_code,full_name,party,verified\n"
                                            "provincial,689,Anne Exacte,PLQ,oui\n"))
    assert report.updated == {"provincial:689": {"party": ("PQ", "PLQ")}}


def test_vacant_seat_deactivates_and_bad_rows_are_refused(runner, tmp_path):
    import_officials(rows=read_csv("level,seat_code,full_name\nmunicipal,66023,Élue Test\n"))
    report = import_officials(rows=read_csv("level,seat_code,full_name\n"
                                            "municipal,66023,Poste vacant\n"))
    assert report.vacant == ["municipal:66023"] and report.deactivated == ["municipal:66023"]
    path = tmp_path / "mauvais.csv"
    path.write_text("level,seat_code,full_name\nmunicipal,99999,Inconnu\n", encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-officials", str(path)])
    assert result.exit_code != 0 and "municipalité 99999 inconnue" in result.output
    path.write_text("niveau,nom\nx,y\n", encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-officials", str(path)])
    assert result.exit_code != 0 and "Colonnes manquantes" in result.output


def test_directory_csv_export_imports_back_unchanged(client, as_user):
    from tests.factories import StaffFactory

    import_officials(rows=read_csv("level,seat_code,title,full_name,party,email,verified\n"
                                   "provincial,689,Député,=Jean Formule,PQ,j@a.example,oui\n"
                                   "municipal,66023,Mairesse,Élue Montréal,,m@v.example,non\n"))
    db.session.commit()
    as_user(StaffFactory())
    response = client.get("/lettres/elus.csv?level=provincial")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and "Élue Montréal" not in text
    assert "'=Jean Formule" in text  # formula injection neutralised
    full = client.get("/lettres/elus.csv").get_data(as_text=True)
    report = import_officials(rows=read_csv(full.replace("'=Jean", "=Jean")))
    assert report.summary()["unchanged"] == 2 and not report.updated and not report.deactivated
