"""The outbox worker against a real SMTP server (and a port where none listens)."""
import os
import threading
from datetime import timedelta

import pytest
from flask import current_app

from gstp.db import utcnow
from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.services import queue_mail
from gstp.mail.worker import MAX_ATTEMPTS, retry_delay, send_pending
from gstp.organizations.models import User
from tests.factories import StaffFactory, UserFactory
from tests.mail_fixtures import html_body, text_body
from tests.organizations.test_signup import signup_data

ON_POSTGRES = os.environ.get("GSTP_TEST_DATABASE", "sqlite").startswith("postgresql")


def queue(n: int = 1, **overrides) -> list[OutboxMessage]:
    """Queue n invitation-like messages, as a request of the site would."""
    rows = []
    # Rendering picks the locale from the request (gstp.i18n needs one).
    with current_app.test_request_context():
        _queue(n, rows, overrides)
    db.session.commit()
    return rows


def _queue(n: int, rows: list, overrides: dict) -> None:
    for i in range(n):
        with_defaults = {"to": f"dest{i}@organisme.example", "subject": f"Message {i}",
                         "template": "invitation", "kind": "test",
                         "reply_to": "equipe@gstp.example", **overrides}
        inviter = User(email="equipe@gstp.example", name="Équipe GSTP")
        rows.append(queue_mail(invited_by=inviter, organization=type("O", (), {"name": "CPE"}),
                               link="http://localhost/invitation/x", days=14, **with_defaults))


def make_due(row: OutboxMessage) -> None:
    row.send_after = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_sends_text_html_and_reply_to(smtp_server):
    [row] = queue()
    assert send_pending() == {"sent": 1, "retry": 0, "failed": 0}
    [message] = smtp_server.messages
    assert message["Subject"] == "Message 0"
    assert message["Reply-To"] == "equipe@gstp.example"
    assert "multipart/alternative" in [part.get_content_type() for part in message.walk()]
    assert "Équipe GSTP vous invite à rejoindre CPE" in text_body(message)
    assert '<a href="http://localhost/invitation/x">' in html_body(message)
    db.session.refresh(row)
    assert row.status is OutboxStatus.SENT and row.sent_at is not None and row.attempts == 1
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 0}  # never twice
    assert len(smtp_server.messages) == 1


def test_waits_for_send_after(smtp_server):
    [row] = queue()
    row.send_after = utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert send_pending()["sent"] == 0 and smtp_server.messages == []


def test_smtp_failure_keeps_the_signup_and_the_message(client, smtp_down):
    response = client.post("/inscription", data=signup_data())
    assert response.status_code == 200
    assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
    user = db.session.scalar(db.select(User))
    assert user.email == "camille@mfrimouski.example"
    row = db.session.scalar(db.select(OutboxMessage))
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    assert row.last_error  # e.g. ConnectionRefusedError: [Errno 111] Connection refused
    assert row.send_after > utcnow() + retry_delay(1) - timedelta(seconds=30)


def test_gives_up_after_eight_attempts_with_growing_delays(smtp_down):
    [row] = queue()
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        make_due(row)
        before = utcnow()
        counts = send_pending()
        db.session.refresh(row)
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1 and row.status is OutboxStatus.PENDING
            delays.append(row.send_after - before)
        else:
            assert counts["failed"] == 1 and row.status is OutboxStatus.FAILED
    assert all(later > earlier for earlier, later in zip(delays, delays[1:], strict=False))
    assert row.last_error
    make_due(row)
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 0}  # FAILED stays put


def test_recovers_when_the_server_comes_back(app, smtp_down, smtp_server):
    # smtp_server was set up last, so mail goes to it; send once to a dead port first.
    from tests.mail_fixtures import point_mail_at, restore_mail

    [row] = queue()
    saved = point_mail_at(app, "127.0.0.1", smtp_down)
    send_pending()
    restore_mail(app, saved)
    db.session.refresh(row)
    assert row.attempts == 1 and row.status is OutboxStatus.PENDING
    make_due(row)
    assert send_pending()["sent"] == 1
    db.session.refresh(row)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 2, "")
    assert len(smtp_server.messages) == 1


def test_a_message_that_cannot_be_built_fails_at_once_not_stuck(smtp_server):
    row = OutboxMessage(to_address="dest@organisme.example", subject="Objet",
                        body_text="Bonjour", kind="test")
    db.session.add(row)
    db.session.flush()
    # Mapped columns refuse line breaks now; a row from before that still has one.
    db.session.execute(OutboxMessage.__table__.update().where(
        OutboxMessage.__table__.c.id == row.id).values(subject="Objet\nBcc: x@y.example"))
    db.session.commit()
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 1}  # waiting cannot fix it
    db.session.refresh(row)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.last_error.startswith("BadHeaderError")
    assert smtp_server.messages == []


def test_send_mail_command(runner, smtp_server):
    queue(3)
    result = runner.invoke(args=["gstp", "send-mail", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "Envoyés 2" in result.output
    result = runner.invoke(args=["gstp", "send-mail", "--once"])
    assert "Envoyés 1" in result.output
    assert sorted(m["Subject"] for m in smtp_server.messages) == [
        "Message 0", "Message 1", "Message 2"]


def _worker(app, errors: list, sent: list, start: threading.Barrier) -> None:
    """One worker with its own app context (hence its own session and connection)."""
    try:
        with app.app_context():
            start.wait(timeout=10)
            while counts := send_pending(batch=3):
                if not sum(counts.values()):
                    break
                sent.append(counts["sent"])
    except Exception as error:  # surfaced by the test below
        errors.append(error)


def test_two_workers_never_send_the_same_message_twice(app, smtp_server):
    rows = queue(24)
    errors: list = []
    sent: list = []
    if ON_POSTGRES:
        start = threading.Barrier(2)
        threads = [threading.Thread(target=_worker, args=(app, errors, sent, start))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:  # SQLite has no row locks: the workers take turns
        for _ in range(2):
            _worker(app, errors, sent, threading.Barrier(1))
    assert errors == []
    assert sum(sent) == 24  # the workers' own counts agree with what the server received
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert sorted(subjects) == sorted(f"Message {i}" for i in range(24))
    db.session.expire_all()
    assert {db.session.get(OutboxMessage, r.id).status for r in rows} == {OutboxStatus.SENT}


def test_staff_outbox_page_and_retry(client, as_user, smtp_down):
    [row] = queue()
    for _ in range(MAX_ATTEMPTS):
        make_due(row)
        send_pending()
    db.session.refresh(row)
    assert row.status is OutboxStatus.FAILED

    organizer = UserFactory()
    as_user(organizer)
    assert client.get("/equipe/courriels/").status_code == 403
    assert client.post(f"/equipe/courriels/{row.id}/reessayer").status_code == 403
    client.post("/deconnexion")

    as_user(StaffFactory())
    html = client.get("/equipe/courriels/?statut=failed").get_data(as_text=True)
    assert "dest0@organisme.example" in html and "Échec (1)" in html
    assert client.get("/equipe/courriels/?statut=nimporte").status_code == 400
    assert client.post(f"/equipe/courriels/{row.id}/reessayer?statut=x").status_code == 400
    db.session.refresh(row)
    assert row.status is OutboxStatus.FAILED  # a refused request changes nothing
    response = client.post(f"/equipe/courriels/{row.id}/reessayer?statut=failed")
    assert response.status_code == 302
    db.session.refresh(row)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.send_after <= utcnow()


@pytest.mark.parametrize(("attempts", "minutes"), [(1, 1), (2, 2), (5, 16), (8, 128), (20, 360)])
def test_retry_delay_doubles_up_to_six_hours(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)
