"""A truncated upload is refused even after a PDF was made in the same process."""
import importlib

from tests.activities.helpers import open_edition
from tests.activities.test_posters import ALT, _post, image_bytes, posters_dir  # noqa: F401
from tests.factories import UserFactory


def test_truncated_poster_refused_after_weasyprint_is_loaded(client, as_user):
    # WeasyPrint sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES when imported (PDF letters, report).
    importlib.import_module("weasyprint")
    as_user(UserFactory())
    response = _post(client, open_edition(), image_bytes("JPEG", size=(800, 600))[:1500],
                     poster_alt=ALT)
    assert response.status_code == 200
    assert "incomplète ou abîmée" in response.get_data(as_text=True)
