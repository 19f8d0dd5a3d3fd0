"""The public data version: bumped by any public change, in its transaction, seen by all."""
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gstp.extensions import db
from gstp.mail.models import OutboxMessage
from gstp.organizations.models import Organization
from gstp.public_version.reading import read_public_version
from tests.factories import OrganizationFactory


def _counter() -> int:
    db.session.rollback()  # read what is committed
    return read_public_version()[0].counter


def test_public_rows_bump_it_once_per_transaction_and_private_rows_do_not(app):
    start = _counter()
    organization = OrganizationFactory()
    assert _counter() == start + 1
    organization.name = "Premier nom"
    db.session.flush()
    organization.description = "Deux flushes, une transaction"
    db.session.commit()
    assert _counter() == start + 2
    db.session.add(OutboxMessage(to_address="a@b.example", subject="s", kind="k",
                                 body_text="x"))
    db.session.commit()
    organization.name = organization.name  # set, but the same value: nothing to show
    db.session.commit()
    assert _counter() == start + 2


def test_bulk_statements_and_rollbacks(app):
    organization = OrganizationFactory()
    start = _counter()
    db.session.execute(sa.update(Organization).values(phone="418 555-0100"))
    db.session.commit()
    assert _counter() == start + 1
    db.session.execute(Organization.__table__.delete().where(Organization.id == -1))
    db.session.commit()
    assert _counter() == start + 2
    organization.name = "Jamais enregistré"
    db.session.flush()
    db.session.rollback()
    assert _counter() == start + 2


def test_changed_at_moves_a_whole_second_even_for_changes_within_one(app):
    organization = OrganizationFactory()
    times = []
    for n in range(3):
        organization.name = f"Nom {n}"
        db.session.commit()
        times.append(read_public_version()[0].changed_at)
    assert times[0] < times[1] < times[2]
    assert all((b - a).total_seconds() >= 1 for a, b in zip(times, times[1:], strict=False))


def test_a_change_made_by_another_process_changes_the_validators(app, client, database_url):
    OrganizationFactory(slug="autre-processus")
    # A page: its validators follow the version (a data file's, its bytes, unchanged here).
    first = client.get("/donnees")
    engine = sa.create_engine(database_url)  # another worker: its own engine and session
    try:
        with Session(engine) as other:
            organization = other.scalar(sa.select(Organization).where(
                Organization.slug == "autre-processus"))
            organization.name = "Renommé ailleurs"
            other.commit()
    finally:
        engine.dispose()
    again = client.get("/donnees", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]


def test_a_rolled_back_savepoint_does_not_swallow_the_bump(app):
    organization = OrganizationFactory()
    start = _counter()
    organization.name = "Gardé"  # a change of the outer transaction
    db.session.flush()
    outer = db.session.begin_nested()
    inner = db.session.begin_nested()
    inner.commit()  # its before_commit bumps, inside `outer`…
    outer.rollback()  # …which takes the bump away, not the change
    db.session.commit()
    assert _counter() == start + 1
    assert db.session.get(Organization, organization.id).name == "Gardé"


def test_the_version_is_read_again_after_the_database_dropped_the_connection(app, client):
    if db.engine.name != "postgresql":
        pytest.skip("a server restart drops connections: PostgreSQL only")
    # A page: its validators follow the version (a data file's, its bytes, unchanged here).
    first = client.get("/donnees")
    db.session.execute(sa.text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'gstp-version' AND datname = current_database()"))
    db.session.commit()
    OrganizationFactory()  # a change: the next answer must see it despite the lost connection
    again = client.get("/donnees", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]


def test_a_connection_dropped_after_the_answer_does_not_fail_the_request(app):
    """The database stopped while a request held a connection: closing it cannot fail."""
    if db.engine.name != "postgresql":
        pytest.skip("a server stop drops connections: PostgreSQL only")
    from gstp.pagecache.outage import close_session

    with app.test_request_context("/"):
        backend = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        close_session()
        assert db.session.execute(sa.text("SELECT 1")).scalar_one() == 1  # a new connection
        db.session.remove()
