"""The personal-information migration on a database that already holds officials and mail."""
import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from gstp import create_app
from gstp.config import TestConfig
from gstp.extensions import db
from tests.conftest import _config_dict, empty_database

BEFORE = "c4a1e7d2f805"


@pytest.fixture
def empty_database_url(tmp_path):
    with empty_database(tmp_path) as url:
        yield url


def test_existing_rows_get_the_defaults_and_the_migration_goes_down_and_up(empty_database_url):
    other = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with other.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO elected_official (level, role, title, full_name, civility, "
                "civility_guessed, salutation, party, postal_address, office_address, seat_code, "
                "source, verified, active, staff_fields, created_at, updated_at) VALUES "
                "('municipal', 'mayor', '', 'Élue Avant', '', :no, '', '', '', '', '66023', "
                "'MAMH', :no, :yes, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"no": False, "yes": True})
            connection.execute(sa.text(
                "INSERT INTO outbox_message (to_address, subject, body_text, kind, status, "
                "attempts, last_error, send_after, created_at, updated_at) VALUES "
                "('a@b.example', 'Objet', 'Texte', '', 'pending', 0, '', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as connection:
            official = connection.execute(sa.text(
                "SELECT do_not_email, contact_sources FROM elected_official")).one()
            erase = connection.execute(sa.text(
                "SELECT erase_after_sending FROM outbox_message")).scalar_one()
        tables = set(sa.inspect(db.engine).get_table_names())
        downgrade(revision=BEFORE)
        after_down = set(sa.inspect(db.engine).get_table_names())
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("user_account")}
        upgrade()
        db.session.remove()
        db.engine.dispose()
    assert not official.do_not_email and official.contact_sources in ({}, "{}")
    assert not erase
    assert {"privacy_policy_version", "privacy_incident"} <= tables
    assert not {"privacy_policy_version", "privacy_incident"} & after_down
    assert "anonymised_at" not in columns
