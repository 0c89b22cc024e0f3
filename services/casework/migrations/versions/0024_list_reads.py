"""casework: who listed or searched the cases, when, through which door, what they asked and which
cases the page showed (breach readiness, docs/breach-response.md; docs/decisions/0038). One row a
request, the page's case ids in one array.

Revision ID: casework_0024
Revises: casework_0022
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "casework_0024"
down_revision = "casework_0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_reads",
        sa.Column("read_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("reader_id", UUID(as_uuid=True), nullable=False),
        sa.Column("door", sa.String(8), nullable=False),
        sa.Column("asked", JSONB, nullable=False),
        sa.Column("search_words", sa.Text, nullable=True),
        sa.Column("words_removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shown", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("door IN ('api', 'console', 'cli', 'rpc')", name="list_reads_door"),
        schema="casework",
    )
    op.create_index("list_reads_reader", "list_reads", ["reader_id", "read_at"], schema="casework")
    op.create_index("list_reads_read_at", "list_reads", ["read_at"], schema="casework")


def downgrade() -> None:
    op.drop_table("list_reads", schema="casework")
