"""notify: the delivery log, outbox and processed messages.

Revision ID: notify_0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from netra_common.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "notify_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    op.create_table(
        "deliveries",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("deliveries", schema=SCHEMA)
    drop_messaging_tables(SCHEMA)
