"""evidence: custody records, rejections, outbox and processed messages.

Revision ID: evidence_0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from netra_common.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "evidence_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    op.create_table(
        "items",
        sa.Column("evidence_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("upload_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "rejections",
        sa.Column("upload_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("reason_code", sa.String(64), nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("rejections", schema=SCHEMA)
    op.drop_table("items", schema=SCHEMA)
    drop_messaging_tables(SCHEMA)
