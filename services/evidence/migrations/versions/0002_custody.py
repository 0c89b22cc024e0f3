"""evidence: encrypted copies, image facts, the custody log.

Revision ID: evidence_0002
Revises: evidence_0001
Create Date: 2026-11-24

Items taken in before this revision were stored unencrypted by the first
version; `verify` reports them (they have no stored_objects rows).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "evidence_0002"
down_revision = "evidence_0001"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.drop_column("items", "object_key", schema=SCHEMA)
    op.add_column("items", sa.Column("width", sa.Integer, nullable=True), schema=SCHEMA)
    op.add_column("items", sa.Column("height", sa.Integer, nullable=True), schema=SCHEMA)
    op.add_column("items", sa.Column("perceptual_hash", sa.String(16), nullable=True), schema=SCHEMA)
    op.create_table(
        "stored_objects",
        sa.Column("evidence_id", UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.items.evidence_id"),
                  primary_key=True),
        sa.Column("copy", sa.String(16), primary_key=True),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False),
        sa.Column("version_id", sa.String(200), nullable=True),
        sa.Column("plain_sha256", sa.String(64), nullable=False),
        sa.Column("plain_size", sa.BigInteger, nullable=False),
        sa.Column("content_type", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.Column("retain_until", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "custody_log",
        sa.Column("view_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("evidence_id", UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.items.evidence_id"),
                  nullable=False, index=True),
        sa.Column("copy", sa.String(16), nullable=False),
        sa.Column("member_id", UUID(as_uuid=True), nullable=False),
        sa.Column("member_role", sa.String(16), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("grant_id", UUID(as_uuid=True), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("custody_log", schema=SCHEMA)
    op.drop_table("stored_objects", schema=SCHEMA)
    for column in ("perceptual_hash", "height", "width"):
        op.drop_column("items", column, schema=SCHEMA)
    op.add_column("items", sa.Column("object_key", sa.String(200), nullable=False,
                                     server_default=""), schema=SCHEMA)
