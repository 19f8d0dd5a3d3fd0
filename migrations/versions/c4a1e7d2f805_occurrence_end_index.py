"""index on occurrence.ends_at: "still to come" filters and the shared pages' clock read it

Revision ID: c4a1e7d2f805
Revises: b7d2e4f1a903
Create Date: 2026-12-01 14:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4a1e7d2f805'
down_revision = 'b7d2e4f1a903'
branch_labels = None
depends_on = None


def upgrade():
    # A plain CREATE INDEX, not batch mode: rebuilding the table on SQLite is not needed.
    op.create_index(op.f('ix_occurrence_ends_at'), 'occurrence', ['ends_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_occurrence_ends_at'), table_name='occurrence')
