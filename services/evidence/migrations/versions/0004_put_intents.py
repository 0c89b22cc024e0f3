"""evidence: the intent to put each object, committed before the put, so that an object no
committed record explains can be found, named and removed.

Revision ID: evidence_0004
Revises: evidence_0003
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "evidence_0004"
down_revision = "evidence_0003"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.create_table(
        "put_intents",
        sa.Column("intent_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("evidence_id", UUID(as_uuid=True), nullable=False),
        sa.Column("copy", sa.String(16), nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(200), nullable=False),
        sa.Column("intended_at", sa.DateTime(timezone=True), nullable=False, index=True),
        schema=SCHEMA,
    )
    op.create_index("put_intents_object", "put_intents", ["bucket", "object_key"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("put_intents", schema=SCHEMA)
