"""Units of the shipped metrics in the reader's language; units staff typed stay as typed."""
from flask_babel import lazy_gettext as _l

# The units of gstp/stats/data/historical_metrics.csv, stored in French.
KNOWN_UNITS = {
    "activités": _l("activités"), "résultats": _l("résultats"), "lettres": _l("lettres"),
    "réponses": _l("réponses"), "personnes": _l("personnes"),
}


def unit_label(unit: str) -> str:
    """A metric's unit, translated when it is one of the shipped ones."""
    return str(KNOWN_UNITS.get(unit, unit))
