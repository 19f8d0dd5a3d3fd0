"""The manifest of a backup: what it holds, with a SHA-256 of every file, checked on restore."""
import hashlib
import json
import os
import shutil
from pathlib import Path

from gstp.activities.posters import FILE_NAME, SIZES, file_name

MANIFEST = "manifest.json"
POSTERS = "posters"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def poster_files(directory: Path) -> list[Path]:
    """The poster renditions in a directory, by name (leftovers of an upload are not kept)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and FILE_NAME.match(p.name))


def copy_posters(source: Path, target: Path) -> list[dict]:
    """Copy every poster to `target`; their names, sizes and hashes, as the manifest lists them."""
    target.mkdir(parents=True, exist_ok=True)
    listed = []
    for path in poster_files(source):
        shutil.copy2(path, target / path.name)
        listed.append({"name": path.name, "bytes": path.stat().st_size,
                       "sha256": sha256_of(target / path.name)})
    return listed


def missing_posters(poster_names: list[str], listed: list[dict]) -> list[str]:
    """Renditions the database names but the backup lacks (deleted by hand, disk trouble)."""
    present = {entry["name"] for entry in listed}
    return sorted(file_name(name, size) for name in poster_names for size in SIZES
                  if file_name(name, size) not in present)


def write_manifest(directory: Path, manifest: dict) -> None:
    """Written last, under its final name in one step: a backup without it is unfinished."""
    partial = directory / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False),
                       encoding="utf-8")
    os.replace(partial, directory / MANIFEST)


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} n'est pas une sauvegarde complète : {MANIFEST} manque.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{MANIFEST} est illisible : {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} n'est pas au format {FORMAT} attendu par ce code.")
    return manifest


def check_files(directory: Path, manifest: dict) -> None:
    """Every file the manifest lists is there with its hash, and nothing else is."""
    try:
        database = manifest["database"]
        listed = {entry["name"]: entry["sha256"] for entry in manifest["posters"]}
        expected = {database["file"]: database["sha256"]}
    except (KeyError, TypeError) as error:
        raise BackupError(f"{MANIFEST} est incomplet : {error}") from error
    expected |= {f"{POSTERS}/{name}": digest for name, digest in listed.items()}
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*")
               if p.is_file() and p.name != MANIFEST}
    if unlisted := sorted(present - expected.keys()):
        raise BackupError("La sauvegarde ne correspond pas à son manifeste : fichiers non "
                          f"listés : {', '.join(unlisted[:5])}.")
    if absent := sorted(expected.keys() - present):
        raise BackupError("La sauvegarde ne correspond pas à son manifeste : fichiers "
                          f"absents : {', '.join(absent[:5])}.")
    for name, digest in sorted(expected.items()):
        if sha256_of(directory / name) != digest:
            raise BackupError("La sauvegarde ne correspond pas à son manifeste : le contenu de "
                              f"{name} a changé (empreinte SHA-256 différente).")
