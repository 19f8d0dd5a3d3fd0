"""The activity page's schema.org Event: no empty values, moved and cancelled dates said so."""
import json
import re
from datetime import timedelta

from gstp.activities.models import ActivityState
from gstp.extensions import db
from tests.activities.helpers import form_data, open_edition
from tests.factories import TORONTO, ActivityFactory, UserFactory


def _json_ld(client, activity) -> dict:
    text = client.get(f"/activites/{activity.id}").get_data(as_text=True)
    return json.loads(re.search(r'<script type="application/ld\+json">(.+?)</script>', text,
                                re.S).group(1))


def _empties(value, path="") -> list[str]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _empties(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _empties(item, f"{path}[{i}]")]
    return [path] if value in ("", None) else []


def test_empty_values_are_left_out(client):
    activity = ActivityFactory(edition=open_edition(), postal_code="", venue_name="",
                               price_details="", registration_url="")
    data = _json_ld(client, activity)
    assert _empties(data) == []
    assert "postalCode" not in data["location"]["address"]
    assert data["location"]["address"]["streetAddress"] == activity.address
    assert data["isAccessibleForFree"] is True


def _edit_dates(client, activity, day, starts):
    """The organizer moves the activity's one date through the real edit form."""
    [occurrence] = activity.occurrences
    response = client.post(f"/mes-activites/{activity.id}/modifier", data=form_data(
        activity.edition, title=activity.title, **{
            "occurrences-0-uid": occurrence.uid, "occurrences-0-day": day.isoformat(),
            "occurrences-0-starts": starts, "occurrences-0-ends": "16:00"}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_a_moved_date_is_rescheduled_with_its_previous_start(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition, title="Heure du conte des tout-petits")
    announced = activity.occurrences[0].starts_at
    as_user(UserFactory(organization=activity.organization))
    assert _json_ld(client, activity)["eventStatus"] == "https://schema.org/EventScheduled"

    new_day = edition.starts_on + timedelta(days=4)
    _edit_dates(client, activity, new_day, "14:00")
    data = _json_ld(client, activity)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == announced.astimezone(TORONTO).isoformat()
    assert data["startDate"] == f"{new_day.isoformat()}T14:00:00-05:00"

    # Moved again: the previous start stays the one first announced.
    _edit_dates(client, activity, new_day, "15:00")
    assert _json_ld(client, activity)["previousStartDate"] == data["previousStartDate"]
    # Put back where it was announced: scheduled again, nothing moved.
    local = announced.astimezone(TORONTO)
    _edit_dates(client, activity, local.date(), local.strftime("%H:%M"))
    back = _json_ld(client, activity)
    assert back["eventStatus"] == "https://schema.org/EventScheduled"
    assert "previousStartDate" not in back
    _edit_dates(client, activity, new_day, "15:00")

    activity.state = ActivityState.CANCELLED
    db.session.commit()
    data = _json_ld(client, activity)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert "previousStartDate" in data


def test_a_date_moved_before_publication_is_not_rescheduled(client, as_user):
    edition = open_edition()
    activity = ActivityFactory(edition=edition, state=ActivityState.SUBMITTED,
                               title="Heure du conte des tout-petits")
    as_user(UserFactory(organization=activity.organization))
    _edit_dates(client, activity, edition.starts_on + timedelta(days=4), "14:00")
    activity.state = ActivityState.PUBLISHED
    db.session.commit()
    data = _json_ld(client, activity)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert "previousStartDate" not in data
