"""statistics: editions run on the platform, entered figures standing in for computed ones

Revision ID: 5d1c0a7e9b21
Revises: 438109f45835
Create Date: 2026-12-01 11:40:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '5d1c0a7e9b21'
down_revision = '438109f45835'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_platform', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    # Past editions without a single activity here were run before the platform existed.
    op.execute(sa.text(
        "UPDATE edition SET on_platform = :no WHERE year < :year AND NOT EXISTS "
        "(SELECT 1 FROM activity WHERE activity.edition_id = edition.id)"
    ).bindparams(no=False, year=date.today().year))
    with op.batch_alter_table('metric_definition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stands_for', sa.String(length=60), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('metric_definition', schema=None) as batch_op:
        batch_op.drop_column('stands_for')
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_column('on_platform')
