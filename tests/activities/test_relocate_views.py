"""Staff page /equipe/a-localiser: permissions, listing, pin and municipality saves."""
import sqlalchemy as sa

from gstp.activities.models import GeocodingStatus
from gstp.audit.models import AuditEntry
from gstp.extensions import db
from tests.factories import ActivityFactory, StaffFactory, UserFactory


def _to_locate(**kwargs):
    return ActivityFactory(**({"latitude": None, "longitude": None, "region_code": None,
                               "geocoding_status": GeocodingStatus.TO_LOCATE,
                               "address": "Sous-sol de l'église"} | kwargs))


def test_anonymous_and_organizer_are_refused(client, as_user):
    activity = _to_locate()
    response = client.get("/equipe/a-localiser")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert client.post(f"/equipe/a-localiser/{activity.id}").status_code == 302
    as_user(UserFactory())
    assert client.get("/equipe/a-localiser").status_code == 403
    response = client.post(f"/equipe/a-localiser/{activity.id}",
                           data={"latitude": "46.8", "longitude": "-71.2"})
    assert response.status_code == 403
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.TO_LOCATE


def test_staff_sees_waiting_activities_paginated(client, as_user):
    waiting = [_to_locate(title=f"Atelier {n:02d}") for n in range(22)]
    ActivityFactory(title="Déjà placée", district_code="751")
    as_user(StaffFactory())
    page = client.get("/equipe/a-localiser").get_data(as_text=True)
    assert "Atelier 00" in page and "Déjà placée" not in page and "Page 1 sur 2" in page
    assert "Atelier 21" in client.get("/equipe/a-localiser?page=2").get_data(as_text=True)
    form = client.get(f"/equipe/a-localiser/{waiting[0].id}").get_data(as_text=True)
    assert 'id="geo-map"' in form and 'name="latitude"' in form
    assert "Taschereau" in form  # the district select lists the 127 districts


def test_staff_moves_the_pin(client, as_user):
    activity = _to_locate()
    staff = as_user(StaffFactory())
    response = staff.post(f"/equipe/a-localiser/{activity.id}", data={
        "latitude": "51.4266", "longitude": "-57.1313", "municipality_code": "98005",
        "district_code": ""})
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    assert (activity.region_code, activity.mrc_code) == ("09", "982")  # by polygon
    assert activity.municipality_code == "98005" and activity.district_code == "813"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.target_id == activity.id))
    assert entry.action == "activity.relocated" and entry.details["after"]["region_code"] == "09"


def test_staff_picks_a_municipality_and_district(client, as_user):
    activity = _to_locate(municipality_code=None, postal_code=None)
    as_user(StaffFactory())
    response = client.post(f"/equipe/a-localiser/{activity.id}", data={
        "latitude": "", "longitude": "", "municipality_code": "66023", "district_code": "287"})
    assert response.status_code == 302
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.MANUAL
    assert (activity.region_code, activity.district_code) == ("06", "287")


def test_invalid_input_shows_errors_and_keeps_values(client, as_user):
    activity = _to_locate()
    as_user(StaffFactory())
    empty = {"municipality_code": "", "district_code": ""}
    page = client.post(f"/equipe/a-localiser/{activity.id}",
                       data=empty | {"latitude": "46.5", "longitude": ""}).get_data(as_text=True)
    assert "Indiquez la latitude et la longitude" in page and 'value="46.5"' in page
    page = client.post(f"/equipe/a-localiser/{activity.id}",
                       data=empty | {"latitude": "45", "longitude": "-60"}).get_data(as_text=True)
    assert "hors du Québec" in page
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.TO_LOCATE


def test_nav_link_only_for_staff(client, as_user):
    assert "À localiser" not in client.get("/").get_data(as_text=True)
    as_user(StaffFactory())
    assert "À localiser" in client.get("/").get_data(as_text=True)


def test_page_in_english(client, as_user):
    as_user(StaffFactory())
    client.get("/langue/en")
    page = client.get("/equipe/a-localiser").get_data(as_text=True)
    assert "Activities to locate" in page and "No activity to locate." in page
