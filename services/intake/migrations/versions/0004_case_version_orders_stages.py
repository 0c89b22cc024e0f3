"""intake: a stage carries the case's version, so two stages of one transaction keep their order.

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0004"
down_revision = "intake_0003"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.add_column("complaint_status", sa.Column("case_version", sa.Integer, nullable=True), schema=SCHEMA)
    op.add_column("complaint_timeline", sa.Column("case_version", sa.Integer, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("complaint_timeline", "case_version", schema=SCHEMA)
    op.drop_column("complaint_status", "case_version", schema=SCHEMA)
