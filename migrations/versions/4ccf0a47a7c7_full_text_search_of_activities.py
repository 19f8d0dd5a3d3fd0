"""full-text search of activities

PostgreSQL: the unaccent extension (trusted since PostgreSQL 13: the database owner may
create it), text-search configurations gstp_fr and gstp_en (unaccent, then the Snowball
stemmer) and a GIN index over the activity's search document.
SQLite: an FTS5 table reading activity.search_document (already stemmed by the app),
kept in sync by triggers. A later batch migration of the activity table recreates it and
drops these triggers: recreate them after it (see create_sqlite_index below).

Revision ID: 4ccf0a47a7c7
Revises: 7c15a3e0b2d1
Create Date: 2026-12-01 11:32:31.667494

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4ccf0a47a7c7'
down_revision = '7c15a3e0b2d1'
branch_labels = None
depends_on = None

PG_VECTOR = ("(to_tsvector('gstp_fr'::regconfig, search_document) || "
             "to_tsvector('gstp_en'::regconfig, search_document))")
SQLITE_TRIGGERS = {
    "activity_search_insert": "AFTER INSERT ON activity BEGIN "
    "INSERT INTO activity_search(rowid, search_document) VALUES (new.id, new.search_document); END",
    "activity_search_delete": "AFTER DELETE ON activity BEGIN "
    "INSERT INTO activity_search(activity_search, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "activity_search_update": "AFTER UPDATE OF search_document ON activity BEGIN "
    "INSERT INTO activity_search(activity_search, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO activity_search(rowid, search_document) VALUES (new.id, new.search_document); END",
}


def create_sqlite_index():
    op.execute("CREATE VIRTUAL TABLE activity_search USING fts5(search_document, "
               "content='activity', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 2')")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO activity_search(activity_search) VALUES ('rebuild')")


def _backfill_postgresql():
    # Same text as gstp.activities.search.join_parts: the non-empty fields, one per line.
    op.execute("UPDATE activity a SET search_document = concat_ws(E'\\n', "
               "NULLIF(a.title, ''), NULLIF(a.venue_name, ''), "
               "NULLIF((SELECT o.name FROM organization o WHERE o.id = a.organization_id), ''), "
               "NULLIF((SELECT m.name FROM municipality m WHERE m.code = a.municipality_code), ''), "
               "NULLIF(a.description, ''))")


def _backfill_sqlite():
    # The stems come from the app's own analysis (no SQL can compute them); imported here
    # only, so that PostgreSQL migrations never import gstp.
    from gstp.activities.search import join_parts, sqlite_document

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT a.id, a.title, a.venue_name, o.name, m.name, a.description FROM activity a "
        "JOIN organization o ON o.id = a.organization_id "
        "LEFT JOIN municipality m ON m.code = a.municipality_code")).all()
    for activity_id, *parts in rows:
        bind.execute(sa.text("UPDATE activity SET search_document = :doc WHERE id = :id"),
                     {"doc": sqlite_document(parts[0], join_parts(*parts)), "id": activity_id})


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_document', sa.Text(), nullable=False,
                                      server_default=''))
    if postgresql:
        _backfill_postgresql()
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        for name, language in (("gstp_fr", "french"), ("gstp_en", "english")):
            op.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {language})")
            op.execute(f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                       f"hword, hword_part, word WITH unaccent, {language}_stem")
        op.execute(f"CREATE INDEX ix_activity_search_document ON activity USING gin ({PG_VECTOR})")
    else:
        _backfill_sqlite()
        create_sqlite_index()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_activity_search_document")
        op.execute("DROP TEXT SEARCH CONFIGURATION gstp_fr")
        op.execute("DROP TEXT SEARCH CONFIGURATION gstp_en")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE activity_search")
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('search_document')
