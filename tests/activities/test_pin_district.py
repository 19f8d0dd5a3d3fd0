"""A pin moved on the activity form keeps the district its postal code or municipality gives."""

from gstp.activities.models import GeocodingStatus
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from tests.activities.helpers import form_data, only_activity, open_edition

MONTREAL = {"address": "1200, rue Sherbrooke Est", "postal_code": "H2L 1L9",
            "municipality": "Montréal (66023)"}


def _submit_and_move(client, edition, place, shift=0.0012):
    assert client.post("/mes-activites/nouvelle", data=form_data(edition, **place)
                       ).status_code == 302
    activity = only_activity()
    located = activity.district_code
    assert located and activity.geocoding_status is GeocodingStatus.LOCATED
    response = client.post(f"/mes-activites/{activity.id}/modifier", data=form_data(
        edition, **place, latitude=f"{activity.latitude + shift:.6f}",
        longitude=f"{activity.longitude - shift:.6f}"))
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    return activity, located


def test_a_pin_moved_in_montreal_keeps_its_district(client, organizer):
    activity, located = _submit_and_move(client, open_edition(), MONTREAL)
    assert located == "287"
    assert activity.district_code == "287" and activity.municipality_code == "66023"
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "activity.relocated"))
    assert entry.details["after"]["district_code"] == "287"


def test_a_pin_moved_in_a_one_district_town_keeps_it_too(client, organizer):
    rimouski = {"address": "110, rue de l'Évêché Est", "postal_code": "G5L 1X9",
                "municipality": "Rimouski (10043)"}
    activity, located = _submit_and_move(client, open_edition(), rimouski)
    assert activity.district_code == located


def test_a_pin_moved_without_a_postal_code_keeps_the_district_it_had(client, organizer):
    place = {**MONTREAL, "postal_code": ""}
    edition = open_edition()
    client.post("/mes-activites/nouvelle", data=form_data(edition, **place))
    activity = only_activity()
    activity.district_code = "287"  # placed by staff, say
    db.session.commit()
    client.post(f"/mes-activites/{activity.id}/modifier", data=form_data(
        edition, **place, latitude=f"{activity.latitude + 0.001:.6f}",
        longitude=f"{activity.longitude:.6f}"))
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    assert activity.district_code == "287"
