"""casework: signed checkpoints of the whole log, kept beside it (docs/decisions/0016).

Revision ID: casework_0010
Revises: casework_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "casework_0010"
down_revision = "casework_0009"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.create_table(
        "log_checkpoints",
        sa.Column("checkpoint_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("global_position", sa.BigInteger, nullable=False),
        sa.Column("log_hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("case_id", UUID(as_uuid=True), nullable=True),
        sa.Column("signed", JSONB, nullable=False),
        sa.CheckConstraint("reason IN ('forward', 'daily', 'operator')", name="log_checkpoints_reason"),
        schema=SCHEMA,
    )
    op.create_index("log_checkpoints_case", "log_checkpoints", ["case_id"], schema=SCHEMA)
    op.create_index("log_checkpoints_reason_signed_at", "log_checkpoints", ["reason", "signed_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("log_checkpoints", schema=SCHEMA)
