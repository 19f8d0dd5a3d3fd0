"""Back up and restore the whole site: database, posters, and the manifest between them."""
import shutil
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import current_app
from flask_migrate import upgrade

from gstp.activities.posters import poster_dir
from gstp.backup import database
from gstp.backup.manifest import (
    FORMAT,
    POSTERS,
    BackupError,
    check_files,
    copy_posters,
    missing_posters,
    read_manifest,
    sha256_of,
    write_manifest,
)
from gstp.extensions import db
from gstp.public_version.bumping import bump_public_version
from gstp.public_version.reading import read_public_version


def app_version() -> str:
    try:
        return metadata.version("gstp")
    except metadata.PackageNotFoundError:
        return "inconnue"


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _empty_directory(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{what} {path} n'est pas vide : choisissez un répertoire neuf.")


def make_backup(*, directory: Path) -> dict:
    """Dump the database, copy the posters, then write the manifest; return it."""
    url = db.engine.url
    _empty_directory(directory, "Le répertoire de sauvegarde")
    # Password hashes and addresses inside: readable by the app's user only.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def read(connection):
        return (database.migration_head(connection), database.table_counts(connection),
                database.poster_names(connection))

    dumped, (head, counts, names) = database.dump(url, directory, read)
    # After the dump: a poster uploaded meanwhile is one file too many, never one missing.
    posters = copy_posters(poster_dir(), directory / POSTERS)
    manifest = {
        "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": app_version(), "migration_head": head,
        "database": {"backend": database.backend(url), "file": dumped.name,
                     "sha256": sha256_of(dumped)},
        "counts": counts, "posters": posters,
        "missing_posters": missing_posters(names, posters),
    }
    write_manifest(directory, manifest)
    return manifest


def _check_head(manifest: dict) -> bool:
    """True when the migrations must run after the restore; refuse a newer dump."""
    head, scripts = manifest.get("migration_head"), _scripts()
    try:
        known = head is not None and scripts.get_revision(head) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(f"La sauvegarde vient d'une version plus récente de l'application "
                          f"(migration {head} inconnue de ce code) : installez d'abord une "
                          "version du code qui la connaît.")
    return head not in scripts.get_heads()


def check_restore(*, directory: Path) -> tuple[dict, bool]:
    """Everything a restore needs, checked before anything is written; (manifest, migrate?)."""
    manifest = read_manifest(directory)
    url = db.engine.url
    if manifest["database"].get("backend") != database.backend(url):
        raise BackupError(f"Sauvegarde d'une base {manifest['database'].get('backend')}, "
                          f"base cible {database.backend(url)} : restaurez sur le même type.")
    check_files(directory, manifest)
    must_migrate = _check_head(manifest)
    if not database.is_empty(db.engine):
        raise BackupError("La base cible n'est pas vide : restaurez dans une base neuve "
                          "(createdb), jamais par-dessus des données.")
    _empty_directory(poster_dir(), "Le répertoire des affiches (POSTERS_DIR)")
    database.check_dump(url, directory / manifest["database"]["file"], manifest["counts"])
    return manifest, must_migrate


def restore_backup(*, directory: Path) -> dict:
    """Restore onto an empty database and posters directory; what was restored.

    Refused with nothing changed when the backup does not match its manifest, comes from
    newer code, or the target is not empty. Commits (the migrations do anyway).
    """
    manifest, must_migrate = check_restore(directory=directory)
    target = poster_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restauration-", dir=target.parent))
    try:
        # Copied beside their final place first: the move into it is one rename.
        copied = copy_posters(directory / POSTERS, staging)
        if sorted(copied, key=lambda e: e["name"]) != sorted(manifest["posters"],
                                                           key=lambda e: e["name"]):
            raise BackupError("Les affiches copiées ne correspondent pas au manifeste.")
        database.load(db.engine.url, directory / manifest["database"]["file"])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        target.rmdir()  # checked empty above
    staging.rename(target)
    with db.engine.connect() as connection:
        counts = database.table_counts(connection)
    if counts != manifest["counts"]:
        raise BackupError("Base restaurée, mais ses lignes ne correspondent pas au manifeste : "
                          "ne la mettez pas en service.")
    if must_migrate:
        upgrade()
    # Every page, feed and cache key built before the restore names an older version.
    bump_public_version()
    db.session.commit()
    with db.engine.connect() as connection:
        head = database.migration_head(connection)
    return {"created_at": manifest["created_at"], "app_version": manifest["app_version"],
            "migration_head": manifest["migration_head"], "migrated_to": head,
            "counts": counts, "posters": len(copied),
            "public_version": read_public_version()[0].counter}
