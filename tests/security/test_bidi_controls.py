"""Bidirectional overrides and isolates never reach a title, page or feed."""
import sqlalchemy as sa
from icalendar import Calendar

from gstp.activities.models import Activity, ActivityState
from gstp.controls import multi_line, single_line
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory

BIDI = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def test_the_filters_drop_every_bidi_control():
    assert single_line(f"Heure\u202e du conte{BIDI}") == "Heure du conte"
    assert multi_line(f"Ligne\u2067 1\n{BIDI}Ligne 2") == "Ligne 1\nLigne 2"


def test_a_reversed_title_is_stored_and_published_plain(client, as_user):
    edition = open_edition()
    as_user(UserFactory())
    response = client.post("/mes-activites/nouvelle", data=form_data(
        edition, title="\u202eetnoc ud erueH\u202c des tout-petits",
        description=f"Albums{BIDI} et comptines"))
    assert response.status_code == 302
    activity = db.session.scalar(sa.select(Activity))
    assert activity.title == "etnoc ud erueH des tout-petits"
    assert activity.description == "Albums et comptines"
    activity.state = ActivityState.PUBLISHED
    db.session.commit()
    page = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    assert "etnoc ud erueH" in page
    assert not any(ch in page for ch in BIDI)
    for url in (f"/activites/{activity.id}.ics", "/activites.atom"):
        feed = client.get(url)
        assert feed.status_code == 200
        assert not any(ch in feed.get_data(as_text=True) for ch in BIDI)
    event = Calendar.from_ical(client.get("/calendrier.ics").data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "etnoc ud erueH des tout-petits"
