"""intake: the reporter learns that their identity was disclosed, and to whom.

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "intake_0003"
down_revision = "intake_0002"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.create_table(
        "identity_disclosures",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.complaints.complaint_id"),
                  nullable=False, index=True),
        sa.Column("disclosed_to", sa.Text, nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("identity_disclosures", schema=SCHEMA)
