"""stable occurrence UIDs and the public data version

Every occurrence gets a uid column, given once and kept across edits; existing dates
get the UID they have been served with so far ("activity-<id>-occ-<id>"), so calendar
subscribers see no date deleted and recreated. The public_data_version single row
starts a new counter; its change time is the migration time (every validator changes
once, which is what a new serializer needs anyway).

Revision ID: 7c3e5a91d2b4
Revises: 7c2e5a91d4b3
Create Date: 2026-12-01 11:40:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "7c3e5a91d2b4"
down_revision = "7c2e5a91d4b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=100), nullable=True))
    # The UID the feeds built from the row ids until now (CAST is portable; || works on
    # both SQLite and PostgreSQL).
    op.execute("UPDATE occurrence SET uid = 'activity-' || CAST(activity_id AS VARCHAR) "
               "|| '-occ-' || CAST(id AS VARCHAR)")
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=100), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_occurrence_uid"), ["uid"])

    version = op.create_table(
        "public_data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_data_version")),
    )
    now = datetime.now(UTC).replace(microsecond=0)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the app stores naive UTC on SQLite
    op.bulk_insert(version, [{"id": 1, "counter": 1, "changed_at": now}])


def downgrade():
    op.drop_table("public_data_version")
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_occurrence_uid"), type_="unique")
        batch_op.drop_column("uid")
