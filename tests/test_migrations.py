"""Migrations build the whole model from an empty database, on the backend under test."""
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from gstp import create_app
from gstp.config import TestConfig
from gstp.extensions import db
from tests.conftest import _config_dict, empty_database


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_model_table_exists(app):
    existing = set(sa.inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= existing


@pytest.fixture
def empty_database_url(tmp_path):
    """A second, empty database on the backend under test."""
    with empty_database(tmp_path) as url:
        yield url


def test_session_token_migration_backfills_existing_accounts(empty_database_url):
    """Accounts made before the session token get one each, all different."""
    other = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with other.app_context():
        upgrade(revision="438109f45835")
        now = datetime.now(UTC)
        with db.engine.begin() as connection:
            for n in range(3):
                connection.execute(sa.text(
                    "INSERT INTO user_account (email, name, password_hash, role, "
                    "is_active_account, created_at, updated_at) "
                    "VALUES (:email, '', 'x', 'organizer', :yes, :now, :now)"),
                    {"email": f"ancien{n}@organisme.example", "now": now, "yes": True})
        upgrade()
        with db.engine.connect() as connection:
            tokens = connection.execute(sa.text("SELECT session_token FROM user_account")
                                        ).scalars().all()
        db.session.remove()
        db.engine.dispose()
    assert len(tokens) == 3 and len(set(tokens)) == 3
    assert all(token and len(token) >= 40 for token in tokens)
