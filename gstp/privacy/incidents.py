"""The register of confidentiality incidents: recording and updating; callers commit."""
from gstp.audit.services import changes_between, record_audit, snapshot
from gstp.extensions import db
from gstp.privacy.models import Incident

FIELDS = ("occurred_on", "discovered_on", "description", "information_concerned",
          "people_affected", "risk_assessment", "serious_risk", "measures",
          "commission_notified_on", "people_notified_on")


def record_incident(*, actor, **values) -> Incident:
    """Add an incident to the register."""
    incident = Incident(recorded_by_id=getattr(actor, "id", None),
                        **{name: values[name] for name in FIELDS})
    db.session.add(incident)
    db.session.flush()
    record_audit(actor=actor, action="incident.recorded", target=incident)
    return incident


def update_incident(*, incident: Incident, actor, **values) -> Incident:
    """Change an incident (e.g. the date the Commission was notified), journalled."""
    before = snapshot(incident, FIELDS)
    for name in FIELDS:
        setattr(incident, name, values[name])
    db.session.flush()
    changes = changes_between(before, snapshot(incident, FIELDS))
    if changes:
        record_audit(actor=actor, action="incident.updated", target=incident, changes=changes)
    return incident

