"""Migrations build the whole model from an empty database, on the backend under test."""
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from gstp import create_app
from gstp.activities import search
from gstp.activities.models import Activity
from gstp.activities.search import include_object
from gstp.config import TestConfig
from gstp.extensions import db
from gstp.geo.reference import load_reference_data
from gstp.public_version.reading import read_public_version
from tests.conftest import _config_dict, empty_database
from tests.factories import ActivityFactory


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False,
                                                          "include_object": include_object})
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


def _row(table: sa.Table, **given) -> dict:
    """Values for every required column: the given ones, else a plain one of the right type."""
    plain = {sa.Integer: 1, sa.BigInteger: 1, sa.Boolean: False, sa.Float: 0.0,
             sa.Date: date(2027, 11, 16), sa.DateTime: datetime(2027, 11, 16, 15, tzinfo=UTC)}
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        row[column.name] = next((v for t, v in plain.items() if isinstance(column.type, t)),
                                f"{table.name}-{column.name}"[:20])
    return row


def test_occurrences_keep_the_uid_feeds_served_before_the_uid_column(empty_database_url):
    """Subscribers of an existing installation see no date deleted and recreated."""
    app = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="438109f45835")  # before the uid column
        tables = sa.MetaData()
        tables.reflect(db.engine)
        t = tables.tables
        start = datetime(2027, 11, 16, 15, tzinfo=UTC)
        with db.engine.begin() as connection:
            connection.execute(t["edition"].insert(), _row(t["edition"], id=1, year=2027))
            connection.execute(t["organization"].insert(), _row(t["organization"], id=1))
            connection.execute(t["activity"].insert(), [
                _row(t["activity"], id=n, edition_id=1, organization_id=1, created_by_id=None,
                     submission_token=None) for n in (7, 8)])
            connection.execute(t["occurrence"].insert(), [
                _row(t["occurrence"], id=n, activity_id=activity, starts_at=start,
                     ends_at=start + timedelta(hours=1))
                for n, activity in ((31, 7), (32, 7), (40, 8))])
        upgrade()
        uids = db.session.execute(sa.text("SELECT id, uid FROM occurrence ORDER BY id")).all()
        assert [tuple(r) for r in uids] == [
            (31, "activity-7-occ-31"), (32, "activity-7-occ-32"), (40, "activity-8-occ-40")]
        assert read_public_version()[0].counter == 1
        db.session.remove()
        db.engine.dispose()


def test_search_migration_fills_the_documents_of_existing_activities(empty_database_url):
    """Upgrading a database that already has activities makes them searchable at once."""
    other = create_app({**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with other.app_context():
        upgrade()
        load_reference_data()
        ActivityFactory(title="Éveil à la lecture", municipality_code="25213",
                        organization__name="Maison des familles de Lévis")
        ActivityFactory(title="Jeu libre", description="Au parc.",
                        organization__name="CPE Les Lucioles")
        db.session.commit()
        downgrade(revision="7c15a3e0b2d1")  # before the search: the documents are gone
        upgrade()
        dialect = db.engine.dialect.name
        found = {query: set(db.session.scalars(sa.select(Activity.title).where(
            search.matches(query, dialect)))) for query in ("eveil", "familles", "LÉVIS", "parc")}
        db.session.remove()
        db.engine.dispose()
    assert found == {"eveil": {"Éveil à la lecture"}, "familles": {"Éveil à la lecture"},
                     "LÉVIS": {"Éveil à la lecture"}, "parc": {"Jeu libre"}}
