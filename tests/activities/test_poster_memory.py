"""Posters decode with bounded memory and one at a time per worker process."""
import io
import subprocess
import sys
import threading
from html import unescape

import pytest
from PIL import Image

from gstp.activities import posters
from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory

LIMIT_MB = 300
# Run in a fresh process: its peak RSS (ru_maxrss) then measures this decode alone.
MEASURE = """
import resource, sys
from gstp.activities.posters import reencode
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
renditions = reencode(data)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert set(renditions) == {"list", "popup", "page"}
print((after - before) // 1024)
"""


def largest_accepted(fmt: str) -> bytes:
    """A 5,000 × 5,000 image (25 million pixels, the most accepted) under 5 MB."""
    side = 5000
    ramp = Image.linear_gradient("L").resize((side, side))
    bands = [ramp, ramp.transpose(Image.Transpose.ROTATE_90), ramp.rotate(45), ramp]
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.merge(mode, bands[:len(mode)])
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    data = buffer.getvalue()
    assert len(data) <= posters.MAX_BYTES
    return data


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_reencoding_the_largest_accepted_image_stays_under_300_mb(tmp_path, fmt):
    path = tmp_path / f"affiche.{fmt.lower()}"
    path.write_bytes(largest_accepted(fmt))
    result = subprocess.run(  # noqa: S603 - this interpreter and a file of the test
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True,
        text=True, check=True, timeout=120)
    peak_mb = int(result.stdout.strip())
    assert 0 <= peak_mb < LIMIT_MB, f"{fmt}: {peak_mb} MB"


def test_an_image_over_25_megapixels_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("RGBA", (6300, 6300), (10, 20, 30, 255)).save(buffer, "PNG")  # the file
    with pytest.raises(posters.PosterError) as refused:
        posters.reencode(buffer.getvalue())
    assert "plus de 25 millions de pixels" in str(refused.value)


def test_one_decode_at_a_time_per_process(app, tmp_path, monkeypatch):
    """While a poster decodes, another upload waits for its turn, then goes through."""
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path))
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 60, 30)).save(buffer, "JPEG")
    names = []

    def upload():
        with app.app_context():
            monkeypatch.setitem(app.config, "POSTERS_DIR", str(tmp_path))
            names.append(posters.store_poster(buffer.getvalue()))

    waiting = threading.Thread(target=upload)
    with posters._DECODING:  # another decode in progress
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and names == []  # it waits for its turn
    waiting.join(timeout=30)
    assert not waiting.is_alive() and len(names) == 1
    assert (tmp_path / f"{names[0]}-page.webp").exists()


def test_a_poster_that_cannot_be_written_keeps_the_form(client, as_user, tmp_path, monkeypatch):
    """Disk full or a directory not writable: a clear message, the typed form kept."""
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    monkeypatch.setitem(client.application.config, "POSTERS_DIR", str(blocker / "affiches"))
    edition = open_edition()
    as_user(UserFactory())
    data = form_data(edition, title="Conte sous les arbres", poster_alt="Une affiche")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 60, 30)).save(buffer, "JPEG")
    data["poster"] = (io.BytesIO(buffer.getvalue()), "affiche.jpg")
    response = client.post("/mes-activites/nouvelle", data=data,
                           content_type="multipart/form-data")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "L'affiche n'a pas pu être enregistrée sur le serveur" in html
    assert 'value="Conte sous les arbres"' in html
    assert db.session.scalar(db.select(Activity)) is None


def test_a_truncated_image_is_refused_even_after_weasyprint_was_imported():
    """WeasyPrint (the letters' PDF) allows truncated images process-wide on import."""
    import weasyprint  # noqa: F401 - imported for its side effect on Pillow
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 60, 30)).save(buffer, "JPEG")
    with pytest.raises(posters.PosterError) as refused:
        posters.reencode(buffer.getvalue()[:1500])
    assert "incomplète ou abîmée" in str(refused.value)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it
