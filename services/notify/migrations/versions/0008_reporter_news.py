"""notify: the last news each reporter was told of (received, examined, decided, sanctioned) and the
case's version then, so a reporter gets one mail per change they care about, not one per step.

Revision ID: notify_0008
Revises: notify_0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "notify_0008"
down_revision = "notify_0006"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.add_column("reporter_contacts", sa.Column("last_news", sa.String(16), nullable=True), schema=SCHEMA)
    op.add_column("reporter_contacts", sa.Column("last_news_version", sa.Integer, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("reporter_contacts", "last_news_version", schema=SCHEMA)
    op.drop_column("reporter_contacts", "last_news", schema=SCHEMA)
