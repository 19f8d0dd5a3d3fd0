"""A person who signed up, verified, submitted an activity and invited a colleague."""
import json

import sqlalchemy as sa
from markupsafe import escape

from gstp.activities.models import Activity, ActivityState
from gstp.activities.moderation import set_state
from gstp.audit.services import record_audit
from gstp.extensions import db
from gstp.letters.services import invite_official
from gstp.mail.worker import send_pending
from gstp.organizations.models import User
from tests.activities.helpers import form_data, open_edition
from tests.factories import StaffFactory
from tests.letters.helpers import mayor
from tests.mail_fixtures import link_paths
from tests.organizations.test_signup import PASSWORD, signup_data

NAME = "Gwendolyne D'Amours-Bérubé"
EMAIL = "gwendolyne.ob@courriel-unique.example"


def person_with_history(client, smtp_server) -> User:
    """Signed up through the pages, with rows in the outbox, the journal and an activity.

    Their personal address is also their organization's and the activity's contact.
    """
    assert client.post("/inscription", data=signup_data(
        name=NAME, email=EMAIL, org_email=EMAIL)).status_code == 200
    send_pending()
    [verification] = smtp_server.to(EMAIL)
    assert client.get(link_paths(verification)[0]).status_code == 302  # signs in
    edition = open_edition()
    assert client.post("/mes-activites/nouvelle", data=form_data(
        edition, contact_email=EMAIL, municipality="Rimouski (10043)",
        postal_code="G5L1A1")).status_code == 302
    assert client.post("/organisme/invitations",
                       data={"email": "collegue@courriel-unique.example"}).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
    # Published by staff (the approved snapshot holds the contact), then an official invited.
    activity = db.session.scalar(sa.select(Activity))
    set_state(activity=activity, state=ActivityState.PUBLISHED, actor=StaffFactory())
    invite_official(official=mayor("10043", "Guy Caron"), activity=activity, actor=user)
    # What a staff member might have noted about the person.
    record_audit(actor=None, action="organization.updated", target=user.organization,
                 details={"note": f"Appel de {NAME}"})
    record_audit(actor=None, action="organization.updated", target=user.organization,
                 details={"contact": EMAIL})
    db.session.commit()
    return user


def text_values_holding(*needles: str) -> list[tuple[str, str]]:
    """(table, column) of every text value of every table of the database holding a needle."""
    # JSON columns hold text escaped ("B\u00e9rub\u00e9"), HTML bodies "D&#39;Amours": all
    # three spellings are sought.
    wanted = {form.lower() for needle in needles
              for form in (needle, json.dumps(needle)[1:-1], str(escape(needle)))}
    found = []
    inspector = sa.inspect(db.engine)
    with db.engine.connect() as connection:
        for table in inspector.get_table_names():
            result = connection.execute(sa.text(f'SELECT * FROM "{table}"'))  # noqa: S608
            for row in result.mappings():
                for column, value in row.items():
                    if isinstance(value, dict | list):
                        value = json.dumps(value, ensure_ascii=False)
                    if isinstance(value, str) and any(n in value.lower() for n in wanted):
                        found.append((table, column))
    return found


__all__ = ["EMAIL", "NAME", "PASSWORD", "person_with_history", "text_values_holding"]
