"""occurrence.previous_starts_at: the start a published date was announced with, once moved

Revision ID: 22dcf3253f72
Revises: ebeb4d4ea948
Create Date: 2026-12-02 05:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '22dcf3253f72'
down_revision = 'ebeb4d4ea948'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_starts_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.drop_column('previous_starts_at')
