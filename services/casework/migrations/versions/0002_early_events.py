"""casework: evidence held for unopened cases becomes any early event (replies too).

Revision ID: casework_0002
Revises: casework_0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "casework_0002"
down_revision = "casework_0001"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.rename_table("pending_evidence", "early_events", schema=SCHEMA)
    op.add_column("early_events", sa.Column("arrived_at", sa.DateTime(timezone=True),
                                            nullable=False, server_default=sa.func.now()),
                  schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("early_events", "arrived_at", schema=SCHEMA)
    op.rename_table("early_events", "pending_evidence", schema=SCHEMA)
