"""« Mes données »: every row tied to the person, as JSON, CSV and a readable page."""
import csv
import io
import json
import re

import sqlalchemy as sa

from gstp.activities.models import Activity, AttendanceReport
from gstp.extensions import db
from tests.factories import UserFactory
from tests.privacy.helpers import EMAIL, NAME, person_with_history


def _rows_tied_to(user) -> dict[str, set]:
    """Primary keys of every row of the database pointing to the account, by table."""
    tied: dict[str, set] = {"user_account": {user.id}}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "user_account":
                ids = db.session.scalars(sa.select(table.c.id).where(fk.parent == user.id))
                tied.setdefault(table.name, set()).update(ids)
    outbox = db.metadata.tables["outbox_message"]
    tied.setdefault("outbox_message", set()).update(db.session.scalars(sa.select(
        outbox.c.id).where(sa.or_(outbox.c.to_address == EMAIL, outbox.c.reply_to == EMAIL))))
    return {name: ids for name, ids in tied.items() if ids}


def test_the_export_holds_every_row_tied_to_the_person(client, smtp_server):
    user = person_with_history(client, smtp_server)
    [activity] = db.session.scalars(sa.select(Activity)).all()
    db.session.add(AttendanceReport(activity_id=activity.id, children=12, adults=9,
                                    comments="Belle matinée", reported_by_id=user.id))
    db.session.commit()
    stranger = UserFactory(name="Quelqu'un d'autre")

    response = client.get("/mon-compte/donnees.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    exported = {name: {row["id"] for row in rows} for name, rows in data["tables"].items()}

    tied = _rows_tied_to(user)
    assert {"user_account", "activity", "attendance_report", "audit_entry",
            "outbox_message"} <= set(tied)
    for name, ids in tied.items():
        assert ids <= exported[name], name
    assert exported["organization"] == {user.organization_id}
    assert {o["id"] for o in data["tables"]["occurrence"]} == {o.id for o in activity.occurrences}
    [account] = data["tables"]["user_account"]
    assert (account["email"], account["name"]) == (EMAIL, NAME)
    assert "password_hash" not in account and "session_token" not in account
    assert stranger.email not in response.get_data(as_text=True)


def test_csv_and_readable_versions(client, smtp_server):
    person_with_history(client, smtp_server)
    response = client.get("/mon-compte/donnees.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["table", "id", "colonne", "valeur"]
    assert [r[3] for r in rows if r[0] == "user_account" and r[2] == "email"] == [EMAIL]
    assert any(r[0] == "activity" and r[2] == "title" for r in rows)

    html = client.get("/mon-compte/donnees").get_data(as_text=True)
    assert "<h1>Mes données</h1>" in html and EMAIL in html and "Votre compte (1)" in html
    assert 'href="/mon-compte/donnees.json"' in html and 'href="/mon-compte/donnees.csv"' in html


def test_my_data_is_for_signed_in_people_only(client):
    for path in ("/mon-compte/donnees", "/mon-compte/donnees.json", "/mon-compte/donnees.csv"):
        assert client.get(path).status_code == 302


def test_the_account_page_links_to_my_data_and_deletion_under_a_plain_title(client, as_user):
    as_user(UserFactory())
    page = client.get("/mon-compte").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == "Mon compte · GSTP"
    assert page.count('id="privacy-title"') == 1
    assert 'href="/mon-compte/donnees"' in page and 'href="/mon-compte/supprimer"' in page
