"""intake: complaints, the public status view, outbox and processed messages.

Revision ID: intake_0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from netra_common.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "intake_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    op.create_table(
        "complaints",
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tracking_code", sa.String(16), nullable=False, unique=True),
        sa.Column("receipt_hash", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("sealed_identity", sa.Text, nullable=True),
        sa.Column("screenshots", JSONB, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "complaint_status",
        sa.Column("complaint_id", UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.complaints.complaint_id"), primary_key=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "complaint_timeline",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.complaints.complaint_id"), nullable=False, index=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("complaint_timeline", schema=SCHEMA)
    op.drop_table("complaint_status", schema=SCHEMA)
    op.drop_table("complaints", schema=SCHEMA)
    drop_messaging_tables(SCHEMA)
