"""notify: case numbers as casework's events name them, for events that carry only a case id
(an approved disclosure).

Revision ID: notify_0007
Revises: notify_0006
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "notify_0007"
down_revision = "notify_0006"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.create_table(
        "case_numbers",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("case_number", sa.Text, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("case_numbers", schema=SCHEMA)
