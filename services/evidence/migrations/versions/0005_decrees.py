"""evidence: decrees (SK) kept beside screenshots, under the same custody: an item is a screenshot
of a complaint or a decree of a case.

Revision ID: evidence_0005
Revises: evidence_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "evidence_0005"
down_revision = "evidence_0004"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.add_column("items", sa.Column("kind", sa.String(16), nullable=False, server_default="screenshot"),
                  schema=SCHEMA)
    op.add_column("items", sa.Column("case_id", UUID(as_uuid=True), nullable=True), schema=SCHEMA)
    op.add_column("items", sa.Column("pages", sa.Integer, nullable=True), schema=SCHEMA)
    op.alter_column("items", "complaint_id", nullable=True, schema=SCHEMA)
    op.create_index("items_case_id", "items", ["case_id"], schema=SCHEMA)
    op.create_check_constraint(
        "items_screenshot_or_decree", "items",
        "(kind = 'screenshot' AND complaint_id IS NOT NULL) OR (kind = 'decree' AND case_id IS NOT NULL)",
        schema=SCHEMA)


def downgrade() -> None:
    op.drop_constraint("items_screenshot_or_decree", "items", schema=SCHEMA)
    op.drop_index("items_case_id", "items", schema=SCHEMA)
    op.execute(f"DELETE FROM {SCHEMA}.items WHERE kind = 'decree'")  # noqa: S608 - a constant
    op.alter_column("items", "complaint_id", nullable=False, schema=SCHEMA)
    op.drop_column("items", "pages", schema=SCHEMA)
    op.drop_column("items", "case_id", schema=SCHEMA)
    op.drop_column("items", "kind", schema=SCHEMA)
