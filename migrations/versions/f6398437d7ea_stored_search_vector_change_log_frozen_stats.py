"""stored search vectors, the public change log, frozen statistics of closed editions

PostgreSQL: the search vector (French and English readings of the search document) and
the title's vector are stored generated columns; the GIN index covers the stored vector,
so the planner sees its statistics and ts_rank reads it instead of analysing each row
again. SQLite keeps its FTS5 table.
Both: `public_change` (which activities each public data version changed: the public
pages' in-process index reloads only those) and `frozen_statistic` (the computed figures
of an edition whose week and attendance period are over).

Revision ID: f6398437d7ea
Revises: 22dcf3253f72
Create Date: 2026-12-02 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f6398437d7ea'
down_revision = '22dcf3253f72'
branch_labels = None
depends_on = None

OLD_VECTOR = ("(to_tsvector('gstp_fr'::regconfig, search_document) || "
              "to_tsvector('gstp_en'::regconfig, search_document))")


def _vector(column: str) -> str:
    return (f"tsvector GENERATED ALWAYS AS (to_tsvector('gstp_fr'::regconfig, {column}) || "
            f"to_tsvector('gstp_en'::regconfig, {column})) STORED")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE activity ADD COLUMN search_vector {_vector('search_document')}")
        op.execute(f"ALTER TABLE activity ADD COLUMN title_vector {_vector('title')}")
        op.execute("DROP INDEX ix_activity_search_document")
        # fastupdate off: no pending list, whose unknown size makes the planner avoid the index.
        op.execute("CREATE INDEX ix_activity_search_vector ON activity USING gin (search_vector) "
                   "WITH (fastupdate = off)")
    op.create_table(
        'public_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('counter', sa.BigInteger(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=True),
        sa.Column('everything', sa.Boolean(), nullable=False),
        sa.Column('token', sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_change')),
    )
    op.create_index(op.f('ix_public_change_counter'), 'public_change', ['counter'], unique=False)
    op.create_table(
        'frozen_statistic',
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=2), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_frozen_statistic_edition_id_edition'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('edition_id', 'region_code', name=op.f('pk_frozen_statistic')),
    )


def downgrade():
    op.drop_table('frozen_statistic')
    op.drop_index(op.f('ix_public_change_counter'), table_name='public_change')
    op.drop_table('public_change')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_activity_search_vector")
        op.execute("ALTER TABLE activity DROP COLUMN title_vector")
        op.execute("ALTER TABLE activity DROP COLUMN search_vector")
        op.execute(f"CREATE INDEX ix_activity_search_document ON activity USING gin ({OLD_VECTOR})")
