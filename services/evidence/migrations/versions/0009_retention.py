"""evidence: what each case's retention asks of its screenshots (issue 18). evidence remembers each
case's keep-until and hold, records every lock it extends, hold it sets and purge it carries out in
custody_actions, lists what a purge could not yet delete, and lets a purged item keep only what the
statistics need (its ids, kind, dates and size; never its hashes).

Revision ID: evidence_0009
Revises: evidence_0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "evidence_0009"
down_revision = "evidence_0006"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.create_table(
        "case_retention",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=True, index=True),
        sa.Column("keep_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("on_hold", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "custody_actions",
        sa.Column("action_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=True, index=True),
        sa.Column("evidence_id", UUID(as_uuid=True), nullable=True, index=True),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("detail", JSONB, nullable=False, server_default="{}"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "purge_leftovers",
        sa.Column("bucket", sa.String(63), primary_key=True),
        sa.Column("object_key", sa.String(200), primary_key=True),
        sa.Column("version_id", sa.String(200), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False),
        sa.Column("retain_until", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.add_column("items", sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)
    op.alter_column("items", "sha256", nullable=True, schema=SCHEMA)


def downgrade() -> None:
    op.execute(f"DELETE FROM {SCHEMA}.custody_log WHERE evidence_id IN "  # noqa: S608 - a constant
               f"(SELECT evidence_id FROM {SCHEMA}.items WHERE purged_at IS NOT NULL)")
    op.execute(f"DELETE FROM {SCHEMA}.items WHERE purged_at IS NOT NULL")  # noqa: S608 - a constant
    op.alter_column("items", "sha256", nullable=False, schema=SCHEMA)
    op.drop_column("items", "purged_at", schema=SCHEMA)
    op.drop_table("purge_leftovers", schema=SCHEMA)
    op.drop_table("custody_actions", schema=SCHEMA)
    op.drop_table("case_retention", schema=SCHEMA)
