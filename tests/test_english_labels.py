"""Labels built in code read in English too: editions, units of the shipped metrics."""
from flask_babel import force_locale

from gstp.stats.units import unit_label
from tests.factories import EditionFactory


def test_edition_and_metric_unit_in_english(app):
    edition = EditionFactory(year=2027, number=12)
    with app.test_request_context("/"):
        with force_locale("en"):
            assert str(edition) == "12th edition (2027)"
            assert unit_label("activités") == "activities"
            assert unit_label("spectateurs") == "spectateurs"  # typed by staff: kept as typed
        with force_locale("fr"):
            assert str(edition) == "12e édition (2027)"
            assert unit_label("activités") == "activités"
