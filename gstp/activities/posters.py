"""Activity posters: an uploaded image checked, re-encoded with Pillow and stored by content.

Every upload is decoded and re-encoded (never served as sent): EXIF orientation applied,
colour profile converted to sRGB, metadata dropped, one WebP per display size. File names
carry a hash of the upload, so they never change meaning and can be cached for a year.

Memory stays bounded: at most 25 million pixels, JPEG decoded at a reduced scale (draft),
every image brought down to its largest rendition before any copy, and one decode at a
time per worker process (others wait their turn).
"""
import hashlib
import io
import os
import re
import tempfile
import threading
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5 MB file can decode to gigabytes: refuse before decoding
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Longest side of each rendition: list card, map popup, activity page.
SIZES = {"list": 640, "popup": 320, "page": 1600}
NAME = re.compile(r"^[0-9a-f]{32}$")
FILE_NAME = re.compile(r"^([0-9a-f]{32})-(list|popup|page)\.webp$")
WEBP_QUALITY = 82
# One decode at a time per process; a request waits this long for its turn, then is told.
DECODE_WAIT_SECONDS = 20
_DECODING = threading.Lock()
TOO_LARGE = _l("L'image est trop grande (plus de 25 millions de pixels) : réduisez ses "
               "dimensions.")


class PosterError(ValueError):
    """The upload cannot be used; the message says why, in words for the organizer."""


def poster_dir() -> Path:
    """Where posters are stored: POSTERS_DIR, or instance/posters by default."""
    configured = current_app.config.get("POSTERS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "posters"


def file_name(name: str, size: str) -> str:
    return f"{name}-{size}.webp"


def _open(data: bytes) -> Image.Image:
    """Decode the upload fully, refusing anything but a sane JPEG, PNG or WebP."""
    if len(data) > MAX_BYTES:
        raise PosterError(_l("L'image dépasse 5 Mo : réduisez-la ou choisissez-en une autre."))
    head = data[:256].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise PosterError(_l("Les images SVG ne sont pas acceptées : choisissez une image "
                             "JPEG, PNG ou WebP."))
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: make every bomb an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PosterError(_l("Ce fichier n'est pas une image JPEG, PNG ou WebP."))
            if image.width * image.height > MAX_PIXELS:
                raise PosterError(TOO_LARGE)
            longest = max(SIZES.values())
            if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when that suffices
                image.draft("RGB" if image.mode == "RGB" else None, (longest, longest))
            _load_whole(image)
    except PosterError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PosterError(TOO_LARGE) from None
    except UnidentifiedImageError:
        raise PosterError(_l("Ce fichier n'est pas une image JPEG, PNG ou WebP.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PosterError(_l("L'image est incomplète ou abîmée : enregistrez-la de nouveau "
                             "puis réessayez.")) from None
    return image


def _load_whole(image: Image.Image) -> None:
    """Decode, a truncated file being an error even where a library allowed it process-wide
    (WeasyPrint, imported for the letters' PDF, sets LOAD_TRUNCATED_IMAGES)."""
    allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = allowed


def _reduce(image: Image.Image) -> Image.Image:
    """The image no larger than its largest rendition, before any full-size copy is made."""
    if image.mode in {"1", "P"}:  # palette pixels resize badly: full colour first
        keep = image.info
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.info = {k: v for k, v in keep.items() if k != "transparency"}
    longest = max(SIZES.values())
    # reducing_gap: a cheap box reduction first, then a fine resampling of the rest.
    image.thumbnail((longest, longest), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, RGB or RGBA: what every browser shows the same way."""
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info)
    target = "RGBA" if has_alpha else "RGB"
    if profile and image.mode in {"RGB", "RGBA", "CMYK", "L"}:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: the pixels as they are are better than no poster
    return image.convert(target)


def _renditions(image: Image.Image) -> dict[str, bytes]:
    out = {}
    for size, longest in SIZES.items():
        copy = image.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        copy.info = {}  # no EXIF, XMP or profile in what is served
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        out[size] = buffer.getvalue()
    return out


def _write(path: Path, data: bytes) -> None:
    """Atomic write: a reader never sees half a file."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".poster-")
    try:
        # mkstemp makes the file private (0600); nginx, another user, serves it from disk.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def reencode(data: bytes) -> dict[str, bytes]:
    """The WebP renditions of an upload (raises PosterError); callers hold _DECODING."""
    return _renditions(_to_srgb(_reduce(_open(data))))


def store_poster(data: bytes) -> str:
    """Check and re-encode an upload, write its renditions; return the poster's name."""
    if not _DECODING.acquire(timeout=DECODE_WAIT_SECONDS):
        raise PosterError(_l("Le serveur traite d'autres images en ce moment : réessayez "
                             "dans une minute."))
    try:
        renditions = reencode(data)
    finally:
        _DECODING.release()
    name = hashlib.sha256(data).hexdigest()[:32]
    directory = poster_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for size, body in renditions.items():
            target = directory / file_name(name, size)
            if not target.exists():
                _write(target, body)
    except OSError as error:  # disk full, directory not writable: the form is kept
        current_app.logger.error("poster not stored in %s: %s", directory, error)
        raise PosterError(_l("L'affiche n'a pas pu être enregistrée sur le serveur. Le reste "
                             "du formulaire est conservé : envoyez-le sans affiche ou "
                             "réessayez plus tard.")) from None
    return name


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="activity-poster")


def signed_name(name: str, owner_id: int | None) -> str:
    """The poster's name as the form carries it: only this organization can send it back."""
    return _signer().dumps([owner_id, name])


def name_from_signed(value: str, owner_id: int | None) -> str | None:
    """The poster's name if this organization was given it (it uploaded it), else None."""
    try:
        owner, name = _signer().loads(value)
    except (BadSignature, TypeError, ValueError):
        return None
    return name if owner == owner_id and isinstance(name, str) and NAME.match(name) else None
