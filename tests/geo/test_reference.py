"""The Québec reference data shipped with the project, as loaded in the database."""
import sqlalchemy as sa

from gstp.extensions import db
from gstp.geo.models import District, Mrc, Municipality, Region
from gstp.geo.reference import LOCAL_DESIGNATION_CODES, load_reference_data


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_reference_counts(app):
    assert _count(Region) == 17
    assert _count(District) == 127
    assert _count(Municipality, Municipality.designation_code.in_(LOCAL_DESIGNATION_CODES)) == 1122
    assert _count(Mrc) >= 100


def test_every_district_and_municipality_has_a_region(app):
    assert _count(District, District.region_code.is_(None)) == 0
    assert _count(Municipality, Municipality.region_code.is_(None)) == 0


def test_known_places(app):
    quebec = db.session.get(Municipality, "23027")
    assert quebec.name == "Québec" and quebec.region_code == "03"
    assert db.session.get(Region, "09").name == "Côte-Nord"
    assert db.session.get(Region, "17").name == "Centre-du-Québec"


def test_loading_twice_changes_nothing(app):
    load_reference_data()
    db.session.commit()
    assert _count(Region) == 17 and _count(District) == 127
