"""Repeated failed sign-ins to one account, counted and written to the staff journal."""
from flask import current_app

from gstp.audit.services import record_audit
from gstp.organizations.models import User
from gstp.security.ratelimit import hit

WINDOW_SECONDS = 3600
FIRST_REPORT = 5  # failures in the hour before staff hear of it; then every REPORT_EVERY
REPORT_EVERY = 50


def worth_reporting(failures: int) -> bool:
    """Whether this count of failures in the hour gets a journal line (a few per hour)."""
    return failures == FIRST_REPORT or (failures > 0 and failures % REPORT_EVERY == 0)


def record_failed_login(*, user: User | None) -> int:
    """Count one wrong password for `user` (None: unknown address); journal every few.

    Returns the failures counted this hour. The count commits on its own connection;
    the journal line is flushed for the caller to commit.
    """
    if user is None:
        return 0
    failures, _left = hit("login-failures", str(user.id), WINDOW_SECONDS)
    if worth_reporting(failures):
        current_app.logger.warning("%s failed sign-ins this hour for account %s",
                                   failures, user.id)
        record_audit(actor=None, action="account.failed_logins", target=user,
                     details={"failed_logins": failures})
    return failures
