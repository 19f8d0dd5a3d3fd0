"""Counts as people type them: « 1 200 » with a space, a no-break or a narrow no-break space,
or « 1200 »; over the limit, the message names it; one message per field."""
import re
from datetime import date
from html import unescape

import pytest

from gstp.activities.models import AttendanceReport
from gstp.extensions import db
from gstp.stats.models import MediaResult
from tests.factories import ActivityFactory, EditionFactory, StaffFactory, UserFactory


def _page(response) -> str:
    return unescape(response.get_data(as_text=True))


def _field_errors(html: str, field: str) -> list[str]:
    """The messages shown under one field (the summary above the form is apart)."""
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return found.group(1).split(". ") if found else []


@pytest.fixture
def past_activity(client, as_user):
    activity = ActivityFactory(edition=EditionFactory(year=date.today().year - 1))
    as_user(UserFactory(organization=activity.organization))
    return activity


@pytest.mark.parametrize("typed", ["1 200", "1\u00a0200", "1\u202f200", "1200", " 1 200 "])
def test_a_count_typed_with_thousands_separators_is_saved(client, past_activity, typed):
    response = client.post(f"/mes-activites/{past_activity.id}/participation",
                           data={"children": typed, "adults": "1\u202f000 000",
                                 "organizations_reached": "12"})
    assert response.status_code == 302, _page(response)
    report = db.session.scalar(db.select(AttendanceReport))
    assert (report.children, report.adults, report.organizations_reached) == (1200, 1_000_000,
                                                                              12)


def test_the_form_shows_a_text_box_for_numbers(client, past_activity):
    html = _page(client.get(f"/mes-activites/{past_activity.id}/participation"))
    field = re.search(r'<input[^>]*id="children"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("children", "10 000 000", "Indiquez un nombre d'au plus 1\u202f000\u202f000."),
    ("organizations_reached", "100 001", "Indiquez un nombre d'au plus 100\u202f000."),
    ("children", "beaucoup", "Indiquez un nombre entier, par exemple 1 200."),
    ("adults", "1.200", "Indiquez un nombre entier, par exemple 1 200."),
    ("adults", "12 00", "Indiquez un nombre entier, par exemple 1 200."),
    ("children", "-3", "Indiquez un nombre positif."),
    ("children", "", "Indiquez un nombre (0 si aucun)."),
])
def test_one_message_per_field_naming_the_limit(client, past_activity, field, typed, message):
    data = {"children": "5", "adults": "5", "organizations_reached": "1", field: typed}
    response = client.post(f"/mes-activites/{past_activity.id}/participation", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert [e.rstrip(".") + "." for e in _field_errors(unescape(html), field)] == [message]
    assert db.session.scalar(db.select(db.func.count(AttendanceReport.id))) == 0


def test_staff_count_fields_accept_thousands_separators(client, as_user):
    edition = EditionFactory(year=date.today().year - 1)
    as_user(StaffFactory())
    response = client.post(f"/equipe/statistiques/medias?edition={edition.id}", data={
        "result-published_on": edition.starts_on.isoformat(), "result-outlet": "Le Devoir",
        "result-title": "La petite enfance", "result-reach": "1\u202f200\u202f000",
        "result-region_code": ""})
    assert response.status_code in (200, 302), _page(response)
    assert db.session.scalar(db.select(MediaResult.reach)) == 1_200_000
