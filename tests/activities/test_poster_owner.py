"""A poster is kept only if this organization uploaded it: a forged or borrowed hash is not."""
import re
from html import unescape

import sqlalchemy as sa

from gstp.activities.models import Activity
from gstp.extensions import db
from tests.activities.helpers import open_edition
from tests.activities.test_posters import ALT, _post, image_bytes, posters_dir  # noqa: F401
from tests.factories import UserFactory


def _waiting_poster(client, edition) -> tuple[str, str]:
    """Upload without alt text: the form comes back holding (signed value, poster name)."""
    html = unescape(_post(client, edition, image_bytes(), poster_alt="").get_data(as_text=True))
    signed = re.search(r'name="poster_name" type="hidden" value="([^"]+)"', html).group(1)
    name = re.search(r'src="/affiches/([0-9a-f]{32})-popup.webp"', html).group(1)
    return signed, name


def _titled(title) -> Activity:
    return db.session.scalar(sa.select(Activity).where(Activity.title == title))


def test_a_forged_poster_name_is_not_kept(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    for forged in ("0" * 32, "ab" * 16):
        response = _post(client, edition, None, poster_alt=ALT, poster_name=forged,
                         title=f"Conte {forged[:4]}", submission_token=forged)
        assert response.status_code == 302
        activity = _titled(f"Conte {forged[:4]}")
        assert activity.poster_name is None and activity.poster_alt == ""


def test_another_organizations_poster_is_not_kept(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    signed, name = _waiting_poster(client, edition)
    client.post("/deconnexion")
    as_user(UserFactory())  # another organization, holding both the hash and its signed form
    for value in (name, signed):
        assert _post(client, edition, None, poster_alt=ALT, poster_name=value,
                     title=f"Emprunt {value[:6]}", submission_token=value[:40]).status_code == 302
        assert _titled(f"Emprunt {value[:6]}").poster_name is None


def test_the_organizations_own_upload_is_kept_and_shown(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    signed, name = _waiting_poster(client, edition)
    assert _post(client, edition, None, poster_alt=ALT, poster_name=signed).status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert activity.poster_name == name
    assert client.get(f"/affiches/{name}-page.webp").status_code == 200
