"""notify: when each member's last digest was made, so it goes out once a day at the digest hour.

Revision ID: notify_0005
Revises: notify_0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "notify_0005"
down_revision = "notify_0004"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.create_table(
        "digest_runs",
        sa.Column("recipient", sa.Text, primary_key=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("digest_runs", schema=SCHEMA)
