"""personal information (Law 25): policy versions, incident register, anonymised accounts,
officials' contact sources and do-not-email flag, outbox messages erased after sending

Revision ID: 9844995d35f5
Revises: c4a1e7d2f805
Create Date: 2026-12-02 05:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9844995d35f5'
down_revision = 'c4a1e7d2f805'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_policy_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('edited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edited_by_id'], ['user_account.id'],
                                name=op.f('fk_privacy_policy_version_edited_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_policy_version')),
    )
    op.create_index(op.f('ix_privacy_policy_version_language'), 'privacy_policy_version',
                    ['language'], unique=False)
    op.create_table(
        'privacy_incident',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('discovered_on', sa.Date(), nullable=True),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('information_concerned', sa.Text(), nullable=False),
        sa.Column('people_affected', sa.Integer(), nullable=False),
        sa.Column('risk_assessment', sa.Text(), nullable=False),
        sa.Column('serious_risk', sa.Boolean(), nullable=False),
        sa.Column('measures', sa.Text(), nullable=False),
        sa.Column('commission_notified_on', sa.Date(), nullable=True),
        sa.Column('people_notified_on', sa.Date(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('people_affected >= 0',
                           name=op.f('ck_privacy_incident_people_non_negative')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_privacy_incident_recorded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_incident')),
    )
    op.create_index(op.f('ix_privacy_incident_occurred_on'), 'privacy_incident',
                    ['occurred_on'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('inactivity_notice_at', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('elected_official', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_sources', sa.JSON(), nullable=False,
                                      server_default='{}'))
        batch_op.add_column(sa.Column('do_not_email', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erase_after_sending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('erase_after_sending')
    with op.batch_alter_table('elected_official', schema=None) as batch_op:
        batch_op.drop_column('do_not_email')
        batch_op.drop_column('contact_sources')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('inactivity_notice_at')
        batch_op.drop_column('anonymised_at')
    op.drop_index(op.f('ix_privacy_incident_occurred_on'), table_name='privacy_incident')
    op.drop_table('privacy_incident')
    op.drop_index(op.f('ix_privacy_policy_version_language'),
                  table_name='privacy_policy_version')
    op.drop_table('privacy_policy_version')
