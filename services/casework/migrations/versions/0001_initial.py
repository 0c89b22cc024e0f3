"""casework: event store, projections, accounts, vault, outbox and processed messages.

Revision ID: casework_0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from netra_common.migration_ops import create_messaging_tables, drop_messaging_tables

revision = "casework_0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    create_messaging_tables(SCHEMA)
    op.create_table(
        "events",
        sa.Column("global_position", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("stream_id", UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column("metadata", JSONB, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("stream_id", "version", name="events_stream_version"),
        schema=SCHEMA,
    )
    op.execute(f"CREATE SEQUENCE {SCHEMA}.case_number_seq")
    op.create_table(
        "projection_checkpoints",
        sa.Column("projection", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "case_list",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("case_number", sa.String(32), nullable=False, unique=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=True, unique=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("violation_types", ARRAY(sa.String), nullable=False),
        sa.Column("reported_name", sa.Text, nullable=False),
        sa.Column("reported_nip", sa.String(18), nullable=True),
        sa.Column("work_unit", sa.Text, nullable=True),
        sa.Column("kecamatan", sa.String(64), nullable=True),
        sa.Column("assignee_id", UUID(as_uuid=True), nullable=True),
        sa.Column("evidence_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "pending_evidence",
        sa.Column("event_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", JSONB, nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "users",
        sa.Column("user_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("full_name", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("work_unit", sa.Text, nullable=True),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        schema=SCHEMA,
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", UUID(as_uuid=True), sa.ForeignKey(f"{SCHEMA}.users.user_id"),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "sealed_identities",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("sealed_identity", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in ("sealed_identities", "sessions", "users", "pending_evidence", "case_list",
                  "projection_checkpoints", "events"):
        op.drop_table(table, schema=SCHEMA)
    op.execute(f"DROP SEQUENCE {SCHEMA}.case_number_seq")
    drop_messaging_tables(SCHEMA)
