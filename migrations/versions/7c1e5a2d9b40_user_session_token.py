"""user session token: logout, password change and reset end every older session

Revision ID: 7c1e5a2d9b40
Revises: 438109f45835
Create Date: 2026-12-01 11:30:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c1e5a2d9b40'
down_revision = '438109f45835'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))

    # Backfill: one random token per existing account (cookies issued before carry the
    # numeric id, which no longer names anyone: everybody signs in once more).
    user_account = sa.table('user_account', sa.column('id', sa.Integer),
                            sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user_account.c.id)).all():
        connection.execute(user_account.update().where(user_account.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_session_token'),
                                          ['session_token'])


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_session_token'), type_='unique')
        batch_op.drop_column('session_token')
