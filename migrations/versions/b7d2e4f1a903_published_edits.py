"""published edits: snapshot of the approved public fields, edited-since-approval mark

Revision ID: b7d2e4f1a903
Revises: 4ccf0a47a7c7
Create Date: 2026-12-01 12:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7d2e4f1a903'
down_revision = '4ccf0a47a7c7'
branch_labels = None
depends_on = None


def upgrade():
    # Activities published before this revision get their snapshot at their next edit.
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_public', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('edited_since_approval_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_activity_edited_since_approval_at'),
                              ['edited_since_approval_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_activity_edited_since_approval_at'), table_name='activity')
    for column in ('edited_since_approval_at', 'approved_public'):
        if op.get_bind().dialect.name == "sqlite":
            # Native DROP COLUMN (SQLite 3.35+): a batch rebuild of the table would drop the
            # full-text search triggers that live on it.
            op.execute(f"ALTER TABLE activity DROP COLUMN {column}")
        else:
            op.drop_column('activity', column)
