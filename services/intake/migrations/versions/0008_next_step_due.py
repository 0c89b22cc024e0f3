"""intake: when the shown stage's next step is due (casework's working-day deadline, carried by
case_status_changed), so the status page says what happens next and by when.

Revision ID: intake_0008
Revises: intake_0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0008"
down_revision = "intake_0006"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.add_column("complaint_status", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("complaint_status", "due_at", schema=SCHEMA)
