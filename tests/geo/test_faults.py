"""A hanging Nominatim: one short attempt, the offline stand-in, and a retry later."""
import json
import time

from gstp.activities.models import Activity, GeocodingStatus
from gstp.extensions import db
from gstp.geo.services import geocode
from tests.activities.helpers import form_data, open_edition
from tests.factories import UserFactory
from tests.geo.conftest import HANG_SECONDS


def test_a_hanging_server_costs_one_attempt_of_the_timeout(nominatim, app):
    nominatim.mode = "hang"
    app.config["NOMINATIM_TIMEOUT"] = 0.5
    started = time.monotonic()
    result, retry_later = geocode("12 rue Principale, Saint-Jérôme")
    waited = time.monotonic() - started
    assert retry_later and result.source == "gazetteer" and result.municipality_code == "75017"
    assert len(nominatim.requests) == 1  # no second try inside the request
    assert waited < HANG_SECONDS  # the timeout ended the wait, not the server


def test_a_submission_is_saved_then_placed_by_regeocode(client, as_user, runner, nominatim,
                                                       app):
    nominatim.mode = "hang"
    app.config["NOMINATIM_TIMEOUT"] = 0.5
    as_user(UserFactory())
    response = client.post("/mes-activites/nouvelle", data=form_data(open_edition()))
    assert response.status_code == 302
    activity = db.session.scalar(db.select(Activity))
    assert activity.geocoding_status is GeocodingStatus.PENDING
    assert activity.municipality_code == "23027" and activity.latitude is not None
    assert activity.geocoding_source in {"gazetteer", "municipality"}  # the offline stand-in
    assert len(nominatim.requests) == 1

    nominatim.mode = "ok"
    result = runner.invoke(args=["gstp", "regeocode"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["located"] == 1
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert activity.geocoding_source == "nominatim"
