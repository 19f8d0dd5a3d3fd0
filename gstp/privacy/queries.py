"""Read-only listings of the privacy pages."""
import sqlalchemy as sa

from gstp.privacy.models import Incident


def incidents_query() -> sa.Select:
    """Every incident, the latest first."""
    return sa.select(Incident).order_by(Incident.occurred_on.desc(), Incident.id.desc())
