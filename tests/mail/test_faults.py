"""The outbox worker against faulty SMTP servers: silent, refusing, down, and a crash."""
import os
import smtplib
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from gstp.config import PROJECT_ROOT
from gstp.db import utcnow
from gstp.extensions import db
from gstp.mail.models import OutboxMessage, OutboxStatus
from gstp.mail.smtp import classify
from gstp.mail.worker import claim_lease, send_pending
from tests.factories import StaffFactory
from tests.mail.test_worker import make_due, queue
from tests.mail_fixtures import SilentServer


def test_a_silent_server_times_out_and_the_message_waits_for_a_retry(smtp_silent):
    [row] = queue()
    assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
    assert len(smtp_silent.connections) == 1  # it did connect, then gave up waiting
    db.session.refresh(row)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "timed out" in row.last_error
    assert row.send_after > utcnow()


def test_send_mail_command_returns_despite_a_silent_server(runner, smtp_silent):
    queue(2)
    result = runner.invoke(args=["gstp", "send-mail", "--once"])
    assert result.exit_code == 0, result.output
    assert "Envoyés 0, à réessayer 2, abandonnés 0" in result.output
    assert len(smtp_silent.connections) == 2


def test_a_permanent_refusal_fails_at_once_with_the_reason(client, as_user, smtp_server):
    refused, accepted = queue(2)
    smtp_server.refuse("dest0@organisme.example", "550 5.1.1 User unknown")
    assert send_pending() == {"sent": 1, "retry": 0, "failed": 1}
    db.session.refresh(refused)
    assert (refused.status, refused.attempts) == (OutboxStatus.FAILED, 1)
    assert refused.last_error == "550 5.1.1 User unknown"
    assert [m["To"] for m in smtp_server.messages] == [accepted.to_address]
    make_due(refused)
    assert send_pending() == {"sent": 0, "retry": 0, "failed": 0}  # never tried again

    as_user(StaffFactory())
    html = client.get("/equipe/courriels/?statut=failed").get_data(as_text=True)
    assert "dest0@organisme.example" in html and "550 5.1.1 User unknown" in html


def test_a_temporary_refusal_is_retried(smtp_server):
    [row] = queue()
    smtp_server.refuse("dest0@organisme.example", "450 4.2.1 Mailbox busy, try later")
    assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
    db.session.refresh(row)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.last_error == "450 4.2.1 Mailbox busy, try later"
    del smtp_server._handler.refusals["dest0@organisme.example"]  # the mailbox is free again
    make_due(row)
    assert send_pending()["sent"] == 1


def test_a_server_that_is_down_is_a_temporary_error(smtp_down):
    [row] = queue()
    assert send_pending() == {"sent": 0, "retry": 1, "failed": 0}
    db.session.refresh(row)
    assert row.status is OutboxStatus.PENDING
    assert row.last_error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(("error", "permanent", "reason"), [
    (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"5.1.1 User unknown")}), True,
     "550 5.1.1 User unknown"),
    (smtplib.SMTPRecipientsRefused({"a@b.example": (452, b"4.2.2 Mailbox full")}), False,
     "452 4.2.2 Mailbox full"),
    (smtplib.SMTPSenderRefused(553, b"5.7.1 Sender rejected", "x@gstp.example"), True,
     "553 5.7.1 Sender rejected"),
    (smtplib.SMTPDataError(554, b"5.7.1 Message refused as spam"), True,
     "554 5.7.1 Message refused as spam"),
    (smtplib.SMTPDataError(451, b"4.3.0 Try again"), False, "451 4.3.0 Try again"),
    # About the server or our account, not the message: retried even when 5xx.
    (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), False,
     "535 5.7.8 Bad credentials"),
    (smtplib.SMTPConnectError(554, b"No service"), False, "554 No service"),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False,
     "SMTPServerDisconnected: Connection unexpectedly closed"),
    (TimeoutError("timed out"), False, "TimeoutError: timed out"),
    (ValueError("bad header"), True, "ValueError: bad header"),
])
def test_errors_are_sorted_into_permanent_and_temporary(error, permanent, reason):
    outcome = classify(error)
    assert (outcome.permanent, outcome.reason) == (permanent, reason)


def test_the_claim_lease_outlasts_the_slowest_send(app):
    app.config["MAIL_TIMEOUT"] = 30
    try:
        assert claim_lease() == timedelta(minutes=5)
        app.config["MAIL_TIMEOUT"] = 0.5
        assert claim_lease() == timedelta(minutes=1)
    finally:
        app.config["MAIL_TIMEOUT"] = 30


def _worker_process(database_url: str, smtp_port: int) -> subprocess.Popen:
    """`flask gstp send-mail --once` in its own process, as the systemd service runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "worker-test",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port), "MAIL_TIMEOUT": "120",
           "GEOCODER": "offline"}
    return subprocess.Popen(  # noqa: S603 - the project's own command
        [sys.executable, "-m", "flask", "--app", "wsgi", "gstp", "send-mail", "--once"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_crashed_worker_holds_back_only_the_message_it_was_sending(database_url,
                                                                     smtp_server):
    rows = queue(3)
    silent = SilentServer()  # the crashing worker's server: it hangs on the first message
    worker = _worker_process(database_url, silent.port)
    try:
        deadline = time.monotonic() + 60
        while not silent.connections and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert silent.connections, "the worker never reached the SMTP server"
    finally:
        worker.kill()  # dies mid-send, like a power cut
        worker.wait(timeout=30)
        silent.close()

    # Another worker sends the rest at once; the lost one is held back by its lease only.
    db.session.expire_all()
    assert send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    [in_flight] = [row for row in rows
                   if db.session.get(OutboxMessage, row.id).status is OutboxStatus.PENDING]
    assert in_flight.attempts == 0 and in_flight.send_after > utcnow()
    make_due(in_flight)  # the lease has ended: delivered at least once, never lost
    assert send_pending()["sent"] == 1
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.to_address for r in rows)
