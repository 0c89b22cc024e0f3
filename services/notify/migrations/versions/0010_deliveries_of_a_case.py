"""notify: each delivery names the case and complaint it was about, so a purge (issue 18) finds every
mail, address and outbox row of a case; older deliveries are found by their recipient and links.

Revision ID: notify_0010
Revises: notify_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "notify_0010"
down_revision = "notify_0008"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("case_id", UUID(as_uuid=True), nullable=True), schema=SCHEMA)
    op.add_column("deliveries", sa.Column("complaint_id", UUID(as_uuid=True), nullable=True), schema=SCHEMA)
    op.create_index("deliveries_case_id", "deliveries", ["case_id"], schema=SCHEMA)
    op.create_index("deliveries_complaint_id", "deliveries", ["complaint_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("deliveries_complaint_id", "deliveries", schema=SCHEMA)
    op.drop_index("deliveries_case_id", "deliveries", schema=SCHEMA)
    op.drop_column("deliveries", "complaint_id", schema=SCHEMA)
    op.drop_column("deliveries", "case_id", schema=SCHEMA)
