"""statistics: editions run on the platform, entered figures standing in for computed ones,
media log, op-eds, post-week survey

Revision ID: 5d1c0a7e9b21
Revises: 7c3e5a91d2b4
Create Date: 2026-12-01 11:40:00

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '5d1c0a7e9b21'
down_revision = '7c3e5a91d2b4'
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

    op.create_table(
        'media_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('outlet', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('reach', sa.BigInteger(), nullable=True),
        sa.Column('names_gstp', sa.Boolean(), nullable=False),
        sa.Column('names_partner', sa.Boolean(), nullable=False),
        sa.Column('region_code', sa.String(length=2), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_media_result_edition_id_edition')),
        sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'],
                                name=op.f('fk_media_result_entered_by_id_user_account')),
        sa.ForeignKeyConstraint(['region_code'], ['region.code'],
                                name=op.f('fk_media_result_region_code_region')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_media_result')),
    )
    with op.batch_alter_table('media_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_result_edition_id'), ['edition_id'],
                              unique=False)
    op.create_table(
        'op_ed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('outlets', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_op_ed_edition_id_edition')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_op_ed')),
    )
    with op.batch_alter_table('op_ed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_ed_edition_id'), ['edition_id'], unique=False)
    op.create_table(
        'op_ed_signatory',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('op_ed_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=200), nullable=False),
        sa.Column('organization', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['op_ed_id'], ['op_ed.id'],
                                name=op.f('fk_op_ed_signatory_op_ed_id_op_ed'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_op_ed_signatory')),
    )
    with op.batch_alter_table('op_ed_signatory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_op_ed_signatory_op_ed_id'), ['op_ed_id'],
                              unique=False)

    op.create_table(
        'survey_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text_fr', sa.String(length=300), nullable=False),
        sa.Column('text_en', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'],
                                name=op.f('fk_survey_question_edition_id_edition')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question')),
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_edition_id'), ['edition_id'],
                              unique=False)
    op.create_table(
        'survey_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_survey_answer_organization_id_organization')),
        sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'],
                                name=op.f('fk_survey_answer_question_id_survey_question'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer')),
        sa.UniqueConstraint('question_id', 'organization_id',
                            name=op.f('uq_survey_answer_question_id')),
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_organization_id'),
                              ['organization_id'], unique=False)


def downgrade():
    op.drop_table('survey_answer')
    op.drop_table('survey_question')
    op.drop_table('op_ed_signatory')
    op.drop_table('op_ed')
    op.drop_table('media_result')
    with op.batch_alter_table('metric_definition', schema=None) as batch_op:
        batch_op.drop_column('stands_for')
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_column('on_platform')
