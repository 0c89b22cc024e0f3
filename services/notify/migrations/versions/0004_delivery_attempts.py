"""notify: a row per delivery attempt (when, outcome, redacted error); errors stored before
redaction are made safe.

Revision ID: notify_0004
Revises: notify_0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "notify_0004"
down_revision = "notify_0003"
branch_labels = None
depends_on = None

SCHEMA = "notify"
# The same shape services/notify/domain/redact.py takes out of new errors.
EMAIL_PATTERN = r"[[:alnum:]_.!#$%&*+/=?^`{|}~-]+(@|%40)[[:alnum:]_-]+(\.[[:alnum:]_-]+)*"


def upgrade() -> None:
    op.create_table(
        "delivery_attempts",
        sa.Column("attempt_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("delivery_id", UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.deliveries.delivery_id", ondelete="CASCADE"), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        schema=SCHEMA,
    )
    op.create_index("ix_delivery_attempts_delivery_id", "delivery_attempts", ["delivery_id"], schema=SCHEMA)
    # Errors written before redaction could hold a refused reporter's address.
    op.execute(sa.text("UPDATE notify.deliveries SET last_error = "
                       "regexp_replace(last_error, :pattern, '[address]', 'g') WHERE last_error IS NOT NULL")
               .bindparams(pattern=EMAIL_PATTERN))


def downgrade() -> None:
    op.drop_table("delivery_attempts", schema=SCHEMA)
