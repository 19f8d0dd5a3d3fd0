"""activity poster: re-encoded image name and alternative text

Revision ID: 7c2e5a91d4b3
Revises: 7c1e5a2d9b40
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7c2e5a91d4b3'
down_revision = '7c1e5a2d9b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('poster_name', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('poster_alt', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('poster_alt')
        batch_op.drop_column('poster_name')
