"""Poster files are readable by the web server, which serves them from disk as another user."""
import io
import stat

from PIL import Image

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory


def test_uploaded_poster_files_are_world_readable(app, client, as_user, tmp_path, monkeypatch):
    posters_dir = tmp_path / "affiches"
    monkeypatch.setitem(app.config, "POSTERS_DIR", str(posters_dir))
    edition = open_edition()
    as_user(UserFactory())
    image = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 120, 200)).save(image, "JPEG")
    data = form_data(edition, poster_alt="Affiche bleue")
    data["poster"] = (io.BytesIO(image.getvalue()), "affiche.jpg")

    response = client.post("/mes-activites/nouvelle", data=data,
                           content_type="multipart/form-data")

    assert response.status_code == 302
    name = db.session.scalar(db.select(Activity.poster_name))
    files = sorted(posters_dir.glob(f"{name}-*.webp"))
    assert len(files) == 3
    for path in files:
        mode = path.stat().st_mode
        assert mode & stat.S_IRGRP and mode & stat.S_IROTH, (path.name, oct(mode))
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH)
