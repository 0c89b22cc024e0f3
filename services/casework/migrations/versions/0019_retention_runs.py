"""casework: the retention runs (issue 18), so the daily timer purges once a day however many
replicas ask, and the office sees when each run was and what it purged (docs/retention.md).

Revision ID: casework_0019
Revises: casework_0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "casework_0019"
down_revision = "casework_0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_runs",
        sa.Column("run_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.String(16), nullable=False),
        sa.Column("purged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("held", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("started_by IN ('timer', 'operator')", name="retention_runs_started_by"),
        schema="casework",
    )
    op.create_index("retention_runs_finished_at", "retention_runs", ["finished_at"], schema="casework")


def downgrade() -> None:
    op.drop_table("retention_runs", schema="casework")
