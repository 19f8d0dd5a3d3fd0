"""yearly cycle: edition registration period, publication and closing; reconducted
activities; invitations of returning organizations; merged organizations

Revision ID: ebeb4d4ea948
Revises: 9844995d35f5
Create Date: 2026-12-02 05:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ebeb4d4ea948'
down_revision = '9844995d35f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_en', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('registration_opens_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('registration_closes_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.alter_column('theme_en', server_default=None)
    # Every edition known so far was public: it stays so.
    op.execute("UPDATE edition SET published_at = created_at")
    # Native ADD COLUMN, not batch mode: rebuilding activity on SQLite would drop the
    # full-text search triggers that live on it.
    if op.get_bind().dialect.name == "sqlite":
        # Alembic adds no foreign key outside batch mode on SQLite; SQLite itself does.
        op.execute("ALTER TABLE activity ADD COLUMN reconducted_from_id INTEGER CONSTRAINT "
                   "fk_activity_reconducted_from_id_activity REFERENCES activity (id)")
    else:
        op.add_column('activity', sa.Column('reconducted_from_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_activity_reconducted_from_id_activity'), 'activity',
                              'activity', ['reconducted_from_id'], ['id'])
    op.add_column('activity', sa.Column('dates_to_set', sa.Integer(), nullable=False,
                                        server_default='0'))
    op.create_index('uq_activity_reconduction', 'activity',
                    ['edition_id', 'reconducted_from_id'], unique=True)
    op.create_table(
        'edition_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('campaign', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_edition_invitation_edition_id_edition')),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_edition_invitation_organization_id_organization')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE',
                                name=op.f('fk_edition_invitation_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_edition_invitation')),
        sa.UniqueConstraint('edition_id', 'user_id', 'campaign',
                            name='uq_edition_invitation_person'),
    )
    for column in ('edition_id', 'organization_id', 'user_id'):
        op.create_index(op.f(f'ix_edition_invitation_{column}'), 'edition_invitation',
                        [column], unique=False)
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organization_merged_into_id_organization'),
                                    'organization', ['merged_into_id'], ['id'])


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organization_merged_into_id_organization'),
                                 type_='foreignkey')
        batch_op.drop_column('merged_into_id')
    op.drop_table('edition_invitation')
    op.drop_index('uq_activity_reconduction', table_name='activity')
    for column in ('dates_to_set', 'reconducted_from_id'):
        if op.get_bind().dialect.name == "sqlite":
            # Native DROP COLUMN (SQLite 3.35+), keeping the full-text search triggers.
            op.execute(f"ALTER TABLE activity DROP COLUMN {column}")
        else:
            op.drop_column('activity', column)
    with op.batch_alter_table('edition', schema=None) as batch_op:
        for column in ('closed_at', 'published_at', 'registration_closes_on',
                       'registration_opens_on', 'theme_en'):
            batch_op.drop_column(column)
