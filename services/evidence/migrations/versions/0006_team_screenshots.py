"""evidence: screenshots the team hands in for a case (docs/decisions/0025): an item may be a
screenshot of a complaint, a screenshot of a case, or a decree of a case; the custody log names
who handed a team screenshot in beside who looked.

Revision ID: evidence_0006
Revises: evidence_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "evidence_0006"
down_revision = "evidence_0005"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.drop_constraint("items_screenshot_or_decree", "items", schema=SCHEMA)
    op.create_check_constraint(
        "items_screenshot_or_decree", "items",
        "(kind = 'screenshot' AND (complaint_id IS NOT NULL OR case_id IS NOT NULL)) "
        "OR (kind = 'decree' AND case_id IS NOT NULL)",
        schema=SCHEMA)
    # What a custody entry records: a view (every entry so far) or a team member's upload.
    op.add_column("custody_log", sa.Column("action", sa.String(16), nullable=False, server_default="view"),
                  schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("custody_log", "action", schema=SCHEMA)
    op.drop_constraint("items_screenshot_or_decree", "items", schema=SCHEMA)
    op.create_check_constraint(
        "items_screenshot_or_decree", "items",
        "(kind = 'screenshot' AND complaint_id IS NOT NULL) OR (kind = 'decree' AND case_id IS NOT NULL)",
        schema=SCHEMA)
