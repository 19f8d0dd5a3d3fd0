"""Posters through the real activity form: re-encoding, refusals, serving and display."""
import io
import json
import os
import re
from html import unescape

import pytest
from PIL import Image, ImageCms

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import ActivityFactory, UserFactory

ALT = "Affiche : enfants qui lisent un album sous un arbre"


@pytest.fixture(autouse=True)
def posters_dir(app, tmp_path, monkeypatch):
    """Posters written to this test's own directory (POSTERS_DIR)."""
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path / "affiches"))
    return tmp_path / "affiches"


def image_bytes(fmt="JPEG", size=(1200, 800), mode="RGB", color=(200, 60, 30), **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def jpeg_with_metadata() -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90°", with an author, GPS and an sRGB profile."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned
    exif[0x013B] = "Photographe secret"  # Artist
    exif[0x8825] = {1: "N", 2: (46.0, 48.0, 0.0)}  # GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes(size=(1200, 800), exif=exif, icc_profile=icc)


def _post(client, edition, poster=None, path="/mes-activites/nouvelle", **overrides):
    data = form_data(edition, **overrides)
    if poster is not None:
        data["poster"] = (io.BytesIO(poster), "affiche.jpg")
    return client.post(path, data=data, content_type="multipart/form-data")


def _activity() -> Activity:
    return db.session.scalar(db.select(Activity))


def test_upload_is_reencoded_upright_without_metadata_in_three_sizes(client, as_user,
                                                                     posters_dir):
    edition = open_edition()
    as_user(UserFactory())
    response = _post(client, edition, jpeg_with_metadata(), poster_alt=ALT)
    assert response.status_code == 302
    activity = _activity()
    assert re.fullmatch(r"[0-9a-f]{32}", activity.poster_name)
    assert activity.poster_alt == ALT
    sizes = {}
    for size in ("list", "popup", "page"):
        with Image.open(posters_dir / f"{activity.poster_name}-{size}.webp") as image:
            assert image.format == "WEBP"
            assert image.height > image.width  # EXIF orientation applied: now portrait
            assert not image.getexif() and "icc_profile" not in image.info
            assert "exif" not in image.info and "xmp" not in image.info
            sizes[size] = max(image.size)
            with open(posters_dir / f"{activity.poster_name}-{size}.webp", "rb") as raw:
                assert b"Photographe secret" not in raw.read()
    assert sizes == {"list": 640, "popup": 320, "page": 1200}  # never enlarged past 1200


@pytest.mark.parametrize(("fmt", "extra"), [("PNG", {}), ("WEBP", {"quality": 90})])
def test_png_and_webp_are_accepted(client, as_user, fmt, extra):
    edition = open_edition()
    as_user(UserFactory())
    poster = image_bytes(fmt, mode="RGBA", color=(0, 90, 160, 128), **extra)
    assert _post(client, edition, poster, poster_alt=ALT).status_code == 302
    assert _activity().poster_name


def _too_many_pixels() -> bytes:
    return image_bytes("PNG", size=(8000, 6000), mode="1", color=1)  # 48 Mpx, a small file


def _bomb() -> bytes:
    return image_bytes("PNG", size=(12000, 12000), mode="1", color=0)  # 144 Mpx


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script></svg>')


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"Ceci n'est pas une image.\n" * 40, "n'est pas une image JPEG, PNG ou WebP"),
    (lambda: image_bytes("JPEG", size=(800, 600))[:1500], "incomplète ou abîmée"),
    (lambda: image_bytes("GIF", mode="P", color=3), "n'est pas une image JPEG, PNG ou WebP"),
    (lambda: b"\xff\xd8\xff\xe0" + os.urandom(5 * 1024 * 1024), "dépasse 5 Mo"),
    (_too_many_pixels, "plus de 25 millions de pixels"),
    (_bomb, "plus de 25 millions de pixels"),
    (lambda: SVG, "SVG ne sont pas acceptées"),
])
def test_bad_files_get_a_clear_error_and_the_form_is_kept(client, as_user, posters_dir,
                                                          make, message):
    edition = open_edition()
    as_user(UserFactory())
    response = _post(client, edition, make(), poster_alt=ALT, title="Conte sous les arbres")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert message in html
    assert '<a href="#poster">Affiche (image) : ' in html  # in the summary, linked
    assert 'value="Conte sous les arbres"' in html and "Bibliothèque Gabrielle-Roy" in html
    assert _activity() is None
    assert not posters_dir.exists() or not any(posters_dir.iterdir())


def test_alternative_text_is_required_with_a_poster(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    html = unescape(_post(client, edition, image_bytes(), poster_alt="").get_data(as_text=True))
    assert "Décrivez l'image en quelques mots" in html
    # The accepted image waits in the form: no need to choose it again.
    # It travels signed for the organization: a bare hash would be anyone's poster.
    signed = re.search(r'name="poster_name" type="hidden" value="([^"]+)"', html).group(1)
    name = re.search(r'src="/affiches/([0-9a-f]{32})-popup.webp"', html).group(1)
    assert signed != name
    assert _post(client, edition, None, poster_alt=ALT, poster_name=signed).status_code == 302
    assert _activity().poster_name == name


def test_edit_keeps_replaces_and_removes_the_poster(client, as_user):
    edition = open_edition()
    user = UserFactory()
    as_user(user)
    _post(client, edition, image_bytes(), poster_alt=ALT)
    activity = _activity()
    path = f"/mes-activites/{activity.id}/modifier"
    first = activity.poster_name
    html = unescape(client.get(path).get_data(as_text=True))
    assert f'src="/affiches/{first}-popup.webp"' in html
    assert "Retirer l'affiche" in html
    assert _post(client, edition, None, path=path, poster_name=first,
                 poster_alt=ALT).status_code == 302
    db.session.refresh(activity)
    assert activity.poster_name == first
    _post(client, edition, image_bytes(color=(0, 0, 255)), path=path, poster_name=first,
          poster_alt="Une autre affiche")
    db.session.refresh(activity)
    assert activity.poster_name != first and activity.poster_alt == "Une autre affiche"
    _post(client, edition, None, path=path, poster_name=activity.poster_name,
          poster_alt="x", remove_poster="y")
    db.session.refresh(activity)
    assert activity.poster_name is None and activity.poster_alt == ""


def test_poster_is_served_for_a_year_and_junk_names_are_404(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    _post(client, edition, image_bytes(), poster_alt=ALT)
    name = _activity().poster_name
    response = client.get(f"/affiches/{name}-page.webp")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public and response.cache_control.immutable
    for junk in (f"{name}-page.png", "..%2Fgstp.sqlite3", f"{name}-huge.webp",
                 "0" * 32 + "-list.webp"):
        assert client.get(f"/affiches/{junk}").status_code == 404


def test_poster_on_list_page_json_ld_and_open_data(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    _post(client, edition, image_bytes(), poster_alt=ALT)
    activity = ActivityFactory(edition=edition, poster_name=_activity().poster_name,
                               poster_alt=ALT, title="Activité publiée avec affiche")
    name = activity.poster_name
    listing = client.get("/activites").get_data(as_text=True)
    assert f'<img class="poster-thumb" src="/affiches/{name}-list.webp" alt="{ALT}"' in listing
    page = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    assert f'src="/affiches/{name}-page.webp" alt="{ALT}"' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page,
                              re.S).group(1))
    assert ld["image"] == [f"http://localhost/affiches/{name}-page.webp"]
    [record] = client.get("/donnees/activites.json").get_json()["activities"]
    assert record["image"] == {"url": f"http://localhost/affiches/{name}-page.webp", "alt": ALT}
    [feature] = client.get("/donnees/activites.geojson").get_json()["features"]
    assert feature["properties"]["image"]["url"].endswith(f"{name}-popup.webp")
    csv = client.get("/donnees/activites.csv").get_data(as_text=True)
    assert csv.splitlines()[0].endswith(",image")
    assert f"{name}-page.webp" in csv


def test_only_the_activity_form_accepts_a_large_body(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    big = b"\xff\xd8\xff\xe0" + os.urandom(2 * 1024 * 1024)
    response = _post(client, edition, big, poster_alt=ALT)
    assert response.status_code == 200  # read, refused by the form, not by the server
    other = client.post("/organisme/profil", data={"x": "y" * 2_000_000})
    assert other.status_code == 413
