"""Where each contact detail of an official comes from (Law 25: public sources only)."""
from gstp.letters.models import ElectedOfficial

CONTACT_FIELDS = ("email", "phone", "postal_address", "office_address")


def note_sources(official: ElectedOfficial, values: dict, source: str) -> None:
    """Record `source` for every contact detail `values` gives (a new dict: JSON columns)."""
    sources = dict(official.contact_sources or {})
    for name in CONTACT_FIELDS:
        if values.get(name):
            sources[name] = source
    official.contact_sources = sources


def source_of(official: ElectedOfficial, name: str) -> str:
    """The public source of one contact detail, else the official's record as a whole."""
    return (official.contact_sources or {}).get(name) or official.source
