"""notify: deliveries keep their message, retry on their own schedule and can be dead letters;
reporters' sealed contacts; digests.

Revision ID: notify_0003
Revises: notify_0002
Create Date: 2026-11-24

The first delivery log (sent e-mails only) is kept as deliveries_v1.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "notify_0003"
down_revision = "notify_0002"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.rename_table("deliveries", "deliveries_v1", schema=SCHEMA)
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("address_sealed", sa.Text, nullable=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("body_html", sa.Text, nullable=True),
        sa.Column("payload", JSONB, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("event_id", "recipient", "channel", name="deliveries_once"),
        schema=SCHEMA,
    )
    op.create_index("deliveries_due", "deliveries", ["next_attempt_at"], schema=SCHEMA,
                    postgresql_where=sa.text("status IN ('pending', 'retrying')"))
    op.create_table(
        "reporter_contacts",
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("sealed_contact", sa.Text, nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("reporter_contacts", schema=SCHEMA)
    op.drop_table("deliveries", schema=SCHEMA)
    op.rename_table("deliveries_v1", "deliveries", schema=SCHEMA)
