"""intake: screenshots and messages on the status page, rate limits, work units, proofs.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-24
"""

from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None

SCHEMA = "intake"
SEED = Path(__file__).resolve().parents[4] / "netra_common" / "contracts" / "work_units.yaml"


def upgrade() -> None:
    op.add_column("complaints", sa.Column("proof", JSONB, nullable=True), schema=SCHEMA)
    op.create_table(
        "screenshots",
        sa.Column("upload_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.complaints.complaint_id"), nullable=False, index=True),
        sa.Column("message_id", UUID(as_uuid=True), nullable=True),
        sa.Column("filename", sa.Text, nullable=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    # The screenshots move from a JSON column into their own table, where their state can change.
    op.execute(f"""
        INSERT INTO {SCHEMA}.screenshots
            (upload_id, complaint_id, filename, size, sha256, state, received_at)
        SELECT (s->>'upload_id')::uuid, c.complaint_id, s->>'filename', (s->>'size')::bigint,
               s->>'sha256', 'pending', c.submitted_at
        FROM {SCHEMA}.complaints c, jsonb_array_elements(c.screenshots) s
    """)  # noqa: S608 - SCHEMA is this file's constant
    op.drop_column("complaints", "screenshots", schema=SCHEMA)
    op.create_table(
        "messages",
        sa.Column("message_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True),
                  sa.ForeignKey(f"{SCHEMA}.complaints.complaint_id"), nullable=False, index=True),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    work_units = op.create_table(
        "work_units",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("group_name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        schema=SCHEMA,
    )
    seed = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    op.bulk_insert(work_units, [{"name": name, "group_name": group, "active": True}
                                for group, names in seed.items() for name in names])


def downgrade() -> None:
    op.add_column("complaints", sa.Column("screenshots", JSONB, nullable=False,
                                          server_default="[]"), schema=SCHEMA)
    for table in ("work_units", "rate_limits", "messages", "screenshots"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_column("complaints", "proof", schema=SCHEMA)
