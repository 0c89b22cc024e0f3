"""casework: the team's queue read in index order (issue 14; docs/decisions/0026, "The team queue
and search"): by status and due date, the queue's own view of a stage, and by opening time, the
console's default. Each ends with case_id, the queue's tie-breaker, so a page is read off the
index and the scan stops after it. The index on status alone is the new one's prefix: dropped.

Revision ID: casework_0021
Revises: casework_0020
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "casework_0021"
down_revision = "casework_0020"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.create_index("case_list_status_due", "case_list",
                    ["status", sa.text("due_at DESC NULLS LAST"), "case_id"], schema=SCHEMA)
    op.create_index("case_list_opened", "case_list",
                    [sa.text("opened_at DESC NULLS LAST"), "case_id"], schema=SCHEMA)
    op.drop_index("case_list_status", table_name="case_list", schema=SCHEMA)


def downgrade() -> None:
    op.create_index("case_list_status", "case_list", ["status"], schema=SCHEMA)
    op.drop_index("case_list_opened", table_name="case_list", schema=SCHEMA)
    op.drop_index("case_list_status_due", table_name="case_list", schema=SCHEMA)
