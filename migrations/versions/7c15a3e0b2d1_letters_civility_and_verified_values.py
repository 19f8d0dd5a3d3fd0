"""Letters: officials' civility, campaign language.

Revision ID: 7c15a3e0b2d1
Revises: 438109f45835
Create Date: 2026-12-01 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7c15a3e0b2d1"
down_revision = "438109f45835"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("elected_official", schema=None) as batch_op:
        batch_op.add_column(sa.Column("civility", sa.String(length=10), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("civility_guessed", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("letter_campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "language", sa.Enum("fr", "en", name="letterlanguage", native_enum=False,
                                length=20), nullable=False, server_default="fr"))
    # The built-in directory stored abbreviated inclusive titles; titles now follow the
    # civility unless staff typed one.
    op.execute("UPDATE elected_official SET title = '' "
               "WHERE title IN ('Maire·sse', 'Député·e')")


def downgrade():
    with op.batch_alter_table("letter_campaign", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("elected_official", schema=None) as batch_op:
        batch_op.drop_column("civility_guessed")
        batch_op.drop_column("civility")
