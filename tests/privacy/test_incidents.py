"""The register of confidentiality incidents: staff record, update and export it."""
import csv
import io
from datetime import date

import sqlalchemy as sa

from gstp.audit.models import AuditEntry
from gstp.extensions import db
from gstp.privacy.models import Incident
from tests.factories import StaffFactory, UserFactory

INCIDENT = {
    "occurred_on": "2026-11-18", "discovered_on": "2026-11-19",
    "description": "Courriel de rappel envoyé avec les adresses des destinataires visibles.",
    "information_concerned": "Adresses courriel de 40 organisatrices",
    "people_affected": "40", "risk_assessment": "Faible : adresses professionnelles.",
    "measures": "Message de rappel supprimé ; envoi en copie cachée désormais.",
    "commission_notified_on": "", "people_notified_on": "2026-11-20",
}


def test_staff_record_update_and_export_an_incident(client, as_user):
    staff = StaffFactory()
    as_user(staff)
    assert "Aucun incident inscrit." in client.get("/equipe/incidents").get_data(as_text=True)
    assert client.post("/equipe/incidents/nouveau", data=INCIDENT).status_code == 302
    incident = db.session.scalar(sa.select(Incident))
    assert (incident.occurred_on, incident.people_affected, incident.serious_risk) == (
        date(2026, 11, 18), 40, False)
    assert incident.recorded_by_id == staff.id and incident.commission_notified_on is None

    html = client.get("/equipe/incidents").get_data(as_text=True)
    assert "18 novembre 2026" in html and "Courriel de rappel" in html

    updated = {**INCIDENT, "serious_risk": "y", "commission_notified_on": "2026-11-21"}
    assert client.post(f"/equipe/incidents/{incident.id}", data=updated).status_code == 302
    assert db.session.get(Incident, incident.id).commission_notified_on == date(2026, 11, 21)
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["incident.recorded", "incident.updated"]

    export = client.get("/equipe/incidents/registre.csv")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert rows[0][:2] == ["Numéro", "Date de l'incident"]
    assert rows[1][1] == "2026-11-18" and rows[1][5] == "40" and rows[1][7] == "oui"
    assert rows[1][9] == "2026-11-21"


def test_bad_input_gets_french_messages_and_saves_nothing(client, as_user):
    as_user(StaffFactory())
    html = client.post("/equipe/incidents/nouveau", data={
        **INCIDENT, "occurred_on": "hier", "description": "", "people_affected": "-3"}
    ).get_data(as_text=True)
    assert "Indiquez la date de l'incident (AAAA-MM-JJ)." in html
    assert "Décrivez l'incident." in html and "Un nombre entier positif ou nul." in html
    assert db.session.scalar(sa.select(Incident)) is None
    assert client.get("/equipe/incidents/999999").status_code == 404
    assert client.get("/equipe/incidents/abc").status_code == 404


def test_only_staff_see_the_register(client, as_user):
    assert client.get("/equipe/incidents").status_code == 302
    as_user(UserFactory())
    for path in ("/equipe/incidents", "/equipe/incidents/nouveau",
                 "/equipe/incidents/registre.csv"):
        assert client.get(path).status_code == 403
    assert client.post("/equipe/incidents/nouveau", data=INCIDENT).status_code == 403
    assert db.session.scalar(sa.select(Incident)) is None
