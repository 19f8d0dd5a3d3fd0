"""Staff corrections are verified values: imports keep them and report conflicts."""
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.letters.directory import import_officials, read_csv
from gstp.letters.models import ElectedOfficial, OfficialConflict
from tests.factories import StaffFactory

DONNACONA = "34025"
FILE = ("level,seat_code,civility,full_name,party,email,verified\n"
        "municipal,34025,monsieur,Jean-Claude Léveillée,{party},{email},non\n")


def _official() -> ElectedOfficial:
    return db.session.scalar(db.select(ElectedOfficial).where(
        ElectedOfficial.seat_code == DONNACONA))


def _staff_corrects_the_email(client, as_user) -> ElectedOfficial:
    import_officials(rows=read_csv(FILE.format(party="", email="germains@donnacona.example")))
    db.session.commit()
    official = _official()
    as_user(StaffFactory())
    response = client.post(f"/lettres/elus/{official.id}", data={
        "full_name": official.full_name, "civility": "monsieur",
        "email": "maire@donnacona.example", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(official)
    assert official.staff_fields == ["email"]  # the civility was unchanged
    return official


def test_reimport_keeps_the_staff_value_and_lists_the_conflict(client, as_user, runner,
                                                               tmp_path):
    official = _staff_corrects_the_email(client, as_user)
    path = tmp_path / "maires.csv"
    path.write_text(FILE.format(party="Équipe Donnacona", email="germains@donnacona.example"),
                    encoding="utf-8")
    result = runner.invoke(args=["gstp", "import-officials", str(path), "--keep-missing"])
    assert result.exit_code == 0, result.output
    assert "conflits : 1" in result.output
    assert ("conflit municipal:34025 : email équipe 'maire@donnacona.example', "
            "fichier 'germains@donnacona.example'") in result.output
    db.session.refresh(official)
    assert official.email == "maire@donnacona.example"
    assert official.party == "Équipe Donnacona"  # fields staff never touched still follow
    conflict = db.session.scalar(db.select(OfficialConflict))
    assert (conflict.field, conflict.staff_value, conflict.file_value) == (
        "email", "maire@donnacona.example", "germains@donnacona.example")
    # Imported again, the same disagreement stays one conflict, not two.
    runner.invoke(args=["gstp", "import-officials", str(path), "--keep-missing"])
    assert db.session.scalar(db.select(db.func.count(OfficialConflict.id))) == 1


def test_staff_resolve_conflicts_in_the_page(client, as_user):
    official = _staff_corrects_the_email(client, as_user)
    report = import_officials(rows=read_csv(FILE.format(party="", email="dg@donnacona.example")))
    assert report.conflicts == {"municipal:34025": {
        "email": ("maire@donnacona.example", "dg@donnacona.example")}}
    db.session.commit()
    page = client.get("/lettres/elus/conflits").get_data(as_text=True)
    assert "maire@donnacona.example" in page and "dg@donnacona.example" in page
    assert "1 conflit d'import à résoudre" in client.get("/lettres/elus").get_data(as_text=True)
    conflict = db.session.scalar(db.select(OfficialConflict))
    assert client.post(f"/lettres/elus/conflits/{conflict.id}",
                       data={"choice": "maybe"}).status_code == 400
    response = client.post(f"/lettres/elus/conflits/{conflict.id}", data={"choice": "file"})
    assert response.status_code == 302
    db.session.refresh(official)
    assert official.email == "dg@donnacona.example"
    assert db.session.scalar(db.select(db.func.count(OfficialConflict.id))) == 0
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "official.conflict_resolved"))
    assert entry.details["kept"] == "file" and entry.details["after"] == "dg@donnacona.example"
    # Still a staff value: the next different file value is again a conflict.
    import_officials(rows=read_csv(FILE.format(party="", email="autre@donnacona.example")))
    db.session.commit()
    conflict = db.session.scalar(db.select(OfficialConflict))
    client.post(f"/lettres/elus/conflits/{conflict.id}", data={"choice": "staff"})
    db.session.refresh(official)
    assert official.email == "dg@donnacona.example"
    assert "Aucun conflit" in client.get("/lettres/elus/conflits").get_data(as_text=True)


def test_file_agreeing_with_staff_closes_the_conflict(client, as_user):
    _staff_corrects_the_email(client, as_user)
    import_officials(rows=read_csv(FILE.format(party="", email="dg@donnacona.example")))
    assert db.session.scalar(db.select(db.func.count(OfficialConflict.id))) == 1
    report = import_officials(rows=read_csv(FILE.format(party="",
                                                        email="maire@donnacona.example")))
    assert report.conflicts == {}
    assert db.session.scalar(db.select(db.func.count(OfficialConflict.id))) == 0


def test_conflict_pages_need_staff(client, as_user):
    assert client.get("/lettres/elus/conflits").status_code == 302
    assert client.post("/lettres/elus/conflits/1", data={"choice": "file"}).status_code in (
        302, 400)
