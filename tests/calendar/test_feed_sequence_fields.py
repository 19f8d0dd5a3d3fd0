"""Field by field: a change a subscriber's calendar shows raises SEQUENCE by exactly one.

One case per value the feed's events are built from, each edited alone on the model and
committed (the path every service, command and staff tool takes), then read back through
the real feed with the icalendar parser.
"""
from datetime import timedelta

import pytest
from icalendar import Calendar

from gstp.activities.models import Activity, ActivityState, Category, Format, GeocodingStatus
from gstp.calendar.feed_events import COLUMNS
from gstp.extensions import db
from tests.calendar.conftest import make_activity
from tests.factories import OrganizationFactory, StaffFactory

FEED = "/calendrier.ics"
ONLINE = "https://visio.example/heure-du-conte"

# field: (activity as created, new value or a function giving it, event property it shows in)
SHOWN = {
    "title": ({}, "Éveil musical", "SUMMARY"),
    "description": ({}, "Chansons et comptines pour les 0-5 ans.", "DESCRIPTION"),
    "registration_url": ({}, "https://inscription.example/gstp", "DESCRIPTION"),
    "venue_name": ({}, "Maison de la famille", "LOCATION"),
    "address": ({}, "12, rue Principale", "LOCATION"),
    "municipality_code": ({}, "10043", "LOCATION"),  # Rimouski: its name joins the place
    "format": ({"virtual_url": ONLINE}, Format.HYBRID, "LOCATION"),
    "virtual_url": ({"format": Format.HYBRID, "virtual_url": ONLINE},
                    "https://visio.example/autre-salle", "LOCATION"),
    "latitude": ({}, 46.9, "GEO"),
    "longitude": ({}, -71.3, "GEO"),
    "category": ({}, Category.COMMUNITY_EVENT, "CATEGORIES"),
    "contact_email": ({}, "info@organisme.example", "ORGANIZER"),
    "state": ({}, ActivityState.CANCELLED, "STATUS"),
    "published_at": ({}, lambda a: a.published_at - timedelta(days=3), "CREATED"),
    "organization_id": ({}, lambda a: OrganizationFactory(name="Maison des familles").id,
                        "ORGANIZER"),
}
# Bookkeeping of the activity: the event shows none of it.
NOT_SHOWN = {
    "rejection_reason": "Motif gardé d'une modération précédente.",
    "geocoding_status": GeocodingStatus.MANUAL,
    "geocoding_source": "equipe",
    "submission_token": "b" * 64,
    "created_by_id": lambda a: StaffFactory().id,
    "approved_public": {"title": "Titre approuvé"},
    "edited_since_approval_at": lambda a: a.published_at + timedelta(hours=1),
}
# Set by the clock on every change (DTSTAMP, LAST-MODIFIED): not the edited field itself.
CLOCK_PROPERTIES = {"DTSTAMP", "LAST-MODIFIED"}


def _event(client) -> tuple[dict, str]:
    """The feed's only VEVENT as {property: text}, and the feed's ETag."""
    response = client.get(FEED)
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    return {name: event[name].to_ical() for name in event}, response.headers["ETag"]


def _set(activity: Activity, field: str, value) -> None:
    setattr(activity, field, value(activity) if callable(value) else value)
    db.session.commit()


def test_the_cases_cover_every_activity_column_the_feed_reads():
    read = {c.key for c in COLUMNS if getattr(c, "class_", None) is Activity}
    # The feed also reads the organization's name and slug and the municipality's name,
    # through organization_id and municipality_code; id, sequence and the clock fields
    # are what the event is keyed and stamped with.
    assert read - {"id", "sequence", "updated_at", "created_at"} <= set(SHOWN)
    assert set(SHOWN) - read <= {"organization_id", "municipality_code"}


@pytest.mark.parametrize("field", SHOWN)
def test_editing_a_shown_field_alone_raises_sequence_by_one_and_changes_the_etag(
        client, edition, field):
    created, value, shown_in = SHOWN[field]
    activity = make_activity(edition, **created)
    before, etag = _event(client)

    _set(activity, field, value)
    after, new_etag = _event(client)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after[shown_in] != before[shown_in]  # the field is indeed shown there
    assert new_etag != etag
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("field", NOT_SHOWN)
def test_editing_a_field_not_shown_leaves_sequence_and_the_event(client, edition, field):
    activity = make_activity(edition)
    before, _etag = _event(client)

    _set(activity, field, NOT_SHOWN[field])
    after, _new_etag = _event(client)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"])
    assert {k: v for k, v in after.items() if k not in CLOCK_PROPERTIES} == \
        {k: v for k, v in before.items() if k not in CLOCK_PROPERTIES}


def test_moving_a_date_alone_raises_sequence_by_one_and_changes_the_etag(client, edition):
    activity = make_activity(edition)
    before, etag = _event(client)
    occurrence = activity.occurrences[0]
    occurrence.starts_at += timedelta(hours=1)
    occurrence.ends_at += timedelta(hours=1)
    db.session.commit()
    after, new_etag = _event(client)
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"] != before["DTSTART"] and after["UID"] == before["UID"]
    assert new_etag != etag
