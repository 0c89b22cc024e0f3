"""The case key store (docs/decisions/0037): a schema of its own, `keystore`, with one random key
per complaint that wraps the reporter's sealed identity and contact; the purge destroys it.

intake is its first writer, so its migrations make it, and it exists wherever intake's schema does
(every stack, every restore). In production the database's superuser makes the schema, the table
and the grants before any migration (deploy/production/postgres/init.sh and Ansible's roles.sql,
with the same columns): the schema is owned by a role no service logs in as, so intake may only
insert, casework read and delete, notify read. This migration then finds the table and does
nothing, which is also why it asks before it creates (intake's role may not create there).

Revision ID: intake_0012
Revises: intake_0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "intake_0012"
down_revision = "intake_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().execute(sa.text("SELECT to_regclass('keystore.case_keys')")).scalar() is not None:
        return
    op.execute("CREATE SCHEMA IF NOT EXISTS keystore")
    op.create_table(
        "case_keys",
        sa.Column("key_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        schema="keystore",
    )


def downgrade() -> None:
    # Dropping the keys would close every identity filed since: only an empty store goes.
    op.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM keystore.case_keys) THEN "
               "DROP TABLE keystore.case_keys; DROP SCHEMA IF EXISTS keystore; END IF; END $$")
