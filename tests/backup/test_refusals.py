"""A bad restore is refused with a clear message and nothing changed; an older one migrates."""
import hashlib
import io
import json

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from PIL import Image

from gstp.activities.posters import store_poster
from gstp.backup.services import make_backup
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.backup.helpers import fresh_site, run, tables_of
from tests.factories import ActivityFactory


@pytest.fixture
def backup(app, tmp_path, monkeypatch):
    """A finished backup of a site with one activity and its poster."""
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path / "source" / "affiches"))
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(buffer, "PNG")
    ActivityFactory(edition=open_edition(), poster_name=store_poster(buffer.getvalue()))
    directory = tmp_path / "sauvegarde"
    result = run(app, "backup", str(directory))
    assert result.exit_code == 0, result.output
    return directory


def _manifest(directory):
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def _refused(tmp_path, directory, message: str, prepare=None):
    """Restore onto a fresh site: refused with `message`, database and posters untouched."""
    with fresh_site(tmp_path / "neuf") as (target, posters):
        if prepare:
            prepare(target, posters)
        tables, files = tables_of(target), sorted(posters.rglob("*")) if posters.exists() else []
        result = run(target, "restore", str(directory))
        assert result.exit_code == 1, result.output
        assert "Restauration refusée" in result.output and message in result.output
        assert tables_of(target) == tables
        assert (sorted(posters.rglob("*")) if posters.exists() else []) == files
        # Nothing staged beside the posters either.
        assert [p.name for p in posters.parent.iterdir() if p.name.startswith(".")] == []
        return result


def test_a_poster_changed_since_the_backup_is_refused(tmp_path, backup):
    poster = next((backup / "posters").iterdir())
    data = bytearray(poster.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte (a bad disk, a half-finished copy)
    poster.write_bytes(bytes(data))
    _refused(tmp_path, backup, f"le contenu de posters/{poster.name} a changé")


def test_a_dump_changed_since_the_backup_is_refused(tmp_path, backup):
    dump = backup / _manifest(backup)["database"]["file"]
    with dump.open("ab") as handle:
        handle.write(b"\0")
    _refused(tmp_path, backup, f"le contenu de {dump.name} a changé")


def test_a_file_missing_or_one_too_many_is_refused(tmp_path, backup):
    extra = backup / "posters" / "intrus.webp"
    extra.write_bytes(b"RIFF")
    _refused(tmp_path, backup, "fichiers non listés : posters/intrus.webp")
    extra.unlink()
    poster = sorted((backup / "posters").iterdir())[0]
    poster.unlink()
    _refused(tmp_path, backup, f"fichiers absents : posters/{poster.name}")


def test_a_directory_without_manifest_is_refused(tmp_path, backup):
    (backup / "manifest.json").unlink()
    _refused(tmp_path, backup, "n'est pas une sauvegarde complète : manifest.json manque")


def test_a_dump_from_newer_code_is_refused(tmp_path, backup):
    manifest = _manifest(backup)
    manifest["migration_head"] = "f00dfeedbeef"  # a migration this code does not have
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _refused(tmp_path, backup, "migration f00dfeedbeef inconnue de ce code")


def test_a_target_database_that_is_not_empty_is_refused(tmp_path, backup):
    def initialised(target, _posters):
        with target.app_context():
            upgrade()

    _refused(tmp_path, backup, "La base cible n'est pas vide", prepare=initialised)


def test_a_target_posters_directory_that_is_not_empty_is_refused(tmp_path, backup):
    def occupied(_target, posters):
        posters.mkdir()
        (posters / "ancienne.webp").write_bytes(b"RIFF")

    _refused(tmp_path, backup, "n'est pas vide : choisissez un répertoire neuf", prepare=occupied)


def test_a_second_restore_onto_the_restored_site_is_refused(tmp_path, backup):
    with fresh_site(tmp_path / "neuf") as (target, _posters):
        assert run(target, "restore", str(backup)).exit_code == 0
        again = run(target, "restore", str(backup))
        assert again.exit_code == 1 and "La base cible n'est pas vide" in again.output


def test_backing_up_into_a_directory_in_use_is_refused(app, tmp_path, backup):
    result = run(app, "backup", str(backup))
    assert result.exit_code == 1
    assert "n'est pas vide : choisissez un répertoire neuf" in result.output


def test_an_older_dump_is_migrated_to_the_code_s_head(app, tmp_path):
    heads = ScriptDirectory.from_config(
        app.extensions["migrate"].migrate.get_config())
    head = heads.get_current_head()
    older = heads.get_revision(head).down_revision
    directory = tmp_path / "ancienne"
    with fresh_site(tmp_path / "ancien") as (old_site, _posters):
        with old_site.app_context():
            upgrade(revision=older)
            assert make_backup(directory=directory)["migration_head"] == older
            db.session.rollback()
    with fresh_site(tmp_path / "neuf") as (target, _posters):
        result = run(target, "restore", str(directory))
        assert result.exit_code == 0, result.output
        assert f"migration {older}, migrée vers {head}" in result.output
        with target.app_context():
            assert db.session.scalar(db.text("SELECT version_num FROM alembic_version")) == head
            db.session.rollback()


def test_a_damaged_dump_with_a_matching_manifest_is_refused(tmp_path, backup):
    """Damaged before the manifest was written (full disk): its hash matches, its content
    does not hold; the dump is read before anything is restored."""
    manifest = _manifest(backup)
    dump = backup / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    manifest["database"]["sha256"] = hashlib.sha256(dump.read_bytes()).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _refused(tmp_path, backup, "La lecture de la sauvegarde a échoué" if dump.suffix == ".dump"
             else "La copie SQLite est")
