"""Activity posters: an uploaded image checked, re-encoded with Pillow and stored by content.

Every upload is decoded and re-encoded (never served as sent): EXIF orientation applied,
colour profile converted to sRGB, metadata dropped, one WebP per display size. File names
carry a hash of the upload, so they never change meaning and can be cached for a year.
"""
import hashlib
import io
import os
import re
import tempfile
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 5 MB file can decode to gigabytes: refuse before decoding
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Longest side of each rendition: list card, map popup, activity page.
SIZES = {"list": 640, "popup": 320, "page": 1600}
NAME = re.compile(r"^[0-9a-f]{32}$")
FILE_NAME = re.compile(r"^([0-9a-f]{32})-(list|popup|page)\.webp$")
WEBP_QUALITY = 82


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
    # WeasyPrint (letters and reports in PDF) turns this Pillow-wide switch on when imported:
    # a truncated upload would then pass as a grey-bottomed poster.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: make every bomb an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PosterError(_l("Ce fichier n'est pas une image JPEG, PNG ou WebP."))
            if image.width * image.height > MAX_PIXELS:
                raise PosterError(_l("L'image est trop grande (plus de 40 millions de "
                                     "pixels) : réduisez ses dimensions."))
            image.load()
    except PosterError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PosterError(_l("L'image est trop grande (plus de 40 millions de pixels) : "
                             "réduisez ses dimensions.")) from None
    except UnidentifiedImageError:
        raise PosterError(_l("Ce fichier n'est pas une image JPEG, PNG ou WebP.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PosterError(_l("L'image est incomplète ou abîmée : enregistrez-la de nouveau "
                             "puis réessayez.")) from None
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
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store_poster(data: bytes) -> str:
    """Check and re-encode an upload, write its renditions; return the poster's name."""
    image = _open(data)
    renditions = _renditions(_to_srgb(image))
    name = hashlib.sha256(data).hexdigest()[:32]
    directory = poster_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for size, body in renditions.items():
        target = directory / file_name(name, size)
        if not target.exists():
            _write(target, body)
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
