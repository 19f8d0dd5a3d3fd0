"""The change log as a process keeps it: each version read once, another database's log
(a restore, tables emptied and counted again) never mistaken for this one's."""
import sqlalchemy as sa

from gstp.activities import changes
from gstp.activities.changes import PublicChange
from gstp.calendar import change_log
from gstp.extensions import db
from gstp.public_version.bumping import PublicDataVersion, bump_public_version
from gstp.public_version.reading import read_public_version
from tests.calendar.conftest import make_activity


def _asked(app, since: int, token: str | None) -> changes.Changed | None:
    with app.test_request_context("/"):
        version, _ = read_public_version()
        return change_log.changes_since(since, token, version.counter)


def test_what_a_process_keeps_answers_as_the_database(app, edition):
    first = make_activity(edition, title="Un")
    db.session.commit()
    counter = db.session.scalar(sa.select(PublicDataVersion.counter))
    token = changes.token_of(counter)
    second = make_activity(edition, title="Deux")
    db.session.commit()
    first.title = "Un, retitré"
    db.session.commit()
    with app.test_request_context("/"):
        now = read_public_version()[0].counter
        assert change_log.changes_since(counter, token, now) == changes.changes_since(
            counter, token, now)
    assert _asked(app, counter, token).activities == {first.id, second.id}


def test_another_log_under_the_same_counters_is_never_taken_for_this_one(app, edition):
    activity = make_activity(edition, title="Avant")
    db.session.commit()
    counter = db.session.scalar(sa.select(PublicDataVersion.counter))
    token = changes.token_of(counter)
    activity.title = "Après"
    db.session.commit()
    assert _asked(app, counter, token).activities == {activity.id}  # kept by the process
    # The same counters written again with other tokens, as a restored database would
    # (a restore then bumps the version).
    db.session.execute(sa.update(PublicChange).values(token="0123456789abcdef"))
    bump_public_version()
    db.session.commit()
    assert _asked(app, counter, token) is None
