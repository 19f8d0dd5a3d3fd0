"""Letters: officials' civility and role (councillors), staff-verified fields and import
conflicts, MNA offices, campaign language and finer targets.

Revision ID: 7c15a3e0b2d1
Revises: 5d1c0a7e9b21
Create Date: 2026-12-01 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7c15a3e0b2d1"
down_revision = "5d1c0a7e9b21"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("elected_official", schema=None) as batch_op:
        batch_op.add_column(sa.Column("civility", sa.String(length=10), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("civility_guessed", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("office_address", sa.Text(), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("staff_fields", sa.JSON(), nullable=False,
                                      server_default="[]"))
        batch_op.add_column(sa.Column(
            "role", sa.Enum("mayor", "councillor", "member", name="officialrole",
                            native_enum=False, length=20), nullable=False,
            server_default="mayor"))
        batch_op.create_index(batch_op.f("ix_elected_official_role"), ["role"], unique=False)
    op.execute("UPDATE elected_official SET role = 'member' WHERE level <> 'municipal'")
    op.create_table(
        "official_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("file_value", sa.Text(), nullable=False),
        sa.Column("staff_value", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["official_id"], ["elected_official.id"],
                                name=op.f("fk_official_conflict_official_id_elected_official"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_conflict")),
        sa.UniqueConstraint("official_id", "field", name="uq_official_conflict_field"),
    )
    with op.batch_alter_table("official_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_conflict_official_id"), ["official_id"],
                              unique=False)
    with op.batch_alter_table("letter_campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "language", sa.Enum("fr", "en", name="letterlanguage", native_enum=False,
                                length=20), nullable=False, server_default="fr"))
        batch_op.add_column(sa.Column("target_mrc_code", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("target_municipality_code", sa.String(length=5),
                                      nullable=True))
        batch_op.add_column(sa.Column(
            "municipal_roles", sa.Enum("mayors", "councillors", "both", name="municipaltarget",
                                       native_enum=False, length=20), nullable=False,
            server_default="mayors"))
        batch_op.create_foreign_key(batch_op.f("fk_letter_campaign_target_mrc_code_mrc"),
                                    "mrc", ["target_mrc_code"], ["code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_letter_campaign_target_municipality_code_municipality"),
            "municipality", ["target_municipality_code"], ["code"])
    # The built-in directory stored abbreviated inclusive titles; titles now follow the
    # civility unless staff typed one.
    op.execute("UPDATE elected_official SET title = '' "
               "WHERE title IN ('Maire·sse', 'Député·e')")


def downgrade():
    op.drop_table("official_conflict")
    with op.batch_alter_table("letter_campaign", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_letter_campaign_target_municipality_code_municipality"),
            type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_letter_campaign_target_mrc_code_mrc"),
                                 type_="foreignkey")
        batch_op.drop_column("municipal_roles")
        batch_op.drop_column("target_municipality_code")
        batch_op.drop_column("target_mrc_code")
        batch_op.drop_column("language")
    with op.batch_alter_table("elected_official", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_elected_official_role"))
        batch_op.drop_column("role")
        batch_op.drop_column("staff_fields")
        batch_op.drop_column("office_address")
        batch_op.drop_column("civility_guessed")
        batch_op.drop_column("civility")
