"""casework: who opened which case file and when (breach readiness, docs/breach-response.md), and
each reporter's withdrawal of their contact details (issue 18.5; docs/decisions/0034).

Revision ID: casework_0020
Revises: casework_0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "casework_0020"
down_revision = "casework_0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_views",
        sa.Column("view_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("viewer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("what", sa.String(16), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("what IN ('case_file', 'dossier')", name="case_views_what"),
        schema="casework",
    )
    op.create_index("case_views_viewer", "case_views", ["viewer_id", "viewed_at"], schema="casework")
    op.create_index("case_views_viewed_at", "case_views", ["viewed_at"], schema="casework")
    op.create_table(
        "contact_withdrawals",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="casework",
    )


def downgrade() -> None:
    op.drop_table("contact_withdrawals", schema="casework")
    op.drop_table("case_views", schema="casework")
