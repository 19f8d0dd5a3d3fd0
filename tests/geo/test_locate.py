"""locate_activity statuses, regeocode and the CLI."""
import json

from gstp.activities.models import Format, GeocodingStatus
from gstp.activities.placement.services import locate_activity
from gstp.extensions import db
from gstp.geo.services import resolve_place
from tests.factories import ActivityFactory


def _unplaced(**kwargs):
    defaults = {"latitude": None, "longitude": None, "region_code": None,
                "municipality_code": None, "postal_code": None,
                "geocoding_status": GeocodingStatus.PENDING, "geocoding_source": None}
    return ActivityFactory(**(defaults | kwargs))


def test_located_from_address(app):
    activity = _unplaced(address="12, rue Principale, Ste-Anne-des-Monts (Québec)")
    locate_activity(activity=activity)
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert (activity.municipality_code, activity.region_code) == ("04037", "11")
    assert activity.latitude and activity.mrc_code == "04" and activity.district_code == "809"


def test_unplaceable_address_is_to_locate(app):
    activity = _unplaced(address="Au sous-sol de l'église")
    locate_activity(activity=activity)
    assert activity.geocoding_status is GeocodingStatus.TO_LOCATE
    assert activity.latitude is None


def test_virtual_activity_is_not_applicable(app):
    activity = _unplaced(format=Format.VIRTUAL, address="")
    locate_activity(activity=activity)
    assert activity.geocoding_status is GeocodingStatus.NOT_APPLICABLE


def test_chosen_municipality_wins(app):
    activity = _unplaced(address="Salle communautaire", municipality_code="99095")
    locate_activity(activity=activity)
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert activity.region_code == "10"
    assert activity.geocoding_source == "municipality"


def test_nominatim_down_leaves_pending_then_regeocode(app, nominatim, runner):
    nominatim.mode = "error"
    activity = _unplaced(address="350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2")
    locate_activity(activity=activity)
    assert activity.geocoding_status is GeocodingStatus.PENDING
    assert activity.municipality_code == "23027"  # offline stand-in meanwhile
    db.session.commit()
    nominatim.mode = "ok"
    result = runner.invoke(args=["gstp", "regeocode"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["tried"] == 1 and summary["located"] == 1
    db.session.refresh(activity)
    assert activity.geocoding_status is GeocodingStatus.LOCATED
    assert activity.geocoding_source == "nominatim"


def test_regeocode_include_to_locate(app, runner):
    _unplaced(address="Nulle part", geocoding_status=GeocodingStatus.TO_LOCATE)
    skipped = json.loads(runner.invoke(args=["gstp", "regeocode"]).output)
    assert skipped["tried"] == 0
    tried = json.loads(runner.invoke(args=["gstp", "regeocode", "--include-to-locate"]).output)
    assert tried["tried"] == 1 and tried["to_locate"] == 1


def test_geocode_command_prints_json(runner):
    result = runner.invoke(args=["gstp", "geocode",
                                 "350, rue Saint-Joseph Est, Québec (Québec) G1K 3B2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["municipality"] == "Québec" and data["municipality_code"] == "23027"
    assert data["region_code"] == "03" and data["region"] == "Capitale-Nationale"
    assert data["mrc"] == "Québec" and data["district_code"] == "751"
    assert data["district"] == "Taschereau" and data["source"] == "gazetteer"
    assert isinstance(data["lat"], float) and isinstance(data["lon"], float)
    missing = runner.invoke(args=["gstp", "geocode", "xyzzy"])
    assert missing.exit_code != 0 and "introuvable" in missing.output


def test_resolve_place(app):
    place = resolve_place("st-jerome")
    assert place.municipality_code == "75017" and place.label == "Saint-Jérôme"
    assert resolve_place("G0A") is None and resolve_place("") is None
