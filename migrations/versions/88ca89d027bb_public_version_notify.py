"""public_data_version notifies its listeners on every change (PostgreSQL only)

Revision ID: 88ca89d027bb
Revises: f6398437d7ea
Create Date: 2026-12-02 08:30:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '88ca89d027bb'
down_revision = 'f6398437d7ea'
branch_labels = None
depends_on = None

# The channel gstp.public_version listens on; the payload is the new counter (for people
# watching with psql: the app reads the row again whatever it says).
CHANNEL = 'gstp_public_version'


def upgrade():
    # SQLite has no notifications: each request reads the version there, a local file.
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"""
        CREATE FUNCTION gstp_public_version_notify() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}',
                CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN NEW.counter::text ELSE '' END);
            RETURN NULL;
        END
        $$""")
    # Every way the row can change: the app's bumps, `gstp restore`, SQL typed by hand.
    op.execute("""
        CREATE TRIGGER gstp_public_version_notify
        AFTER INSERT OR UPDATE OR DELETE ON public_data_version
        FOR EACH ROW EXECUTE FUNCTION gstp_public_version_notify()""")
    op.execute("""
        CREATE TRIGGER gstp_public_version_notify_truncate
        AFTER TRUNCATE ON public_data_version
        FOR EACH STATEMENT EXECUTE FUNCTION gstp_public_version_notify()""")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP TRIGGER gstp_public_version_notify_truncate ON public_data_version')
    op.execute('DROP TRIGGER gstp_public_version_notify ON public_data_version')
    op.execute('DROP FUNCTION gstp_public_version_notify()')
