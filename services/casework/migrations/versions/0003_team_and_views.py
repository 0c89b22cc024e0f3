"""casework: TOTP, notification preference, work-queue columns, search, links, stages.

Revision ID: casework_0003
Revises: casework_0002
Create Date: 2026-11-24

Projections change shape here: after upgrading, `netra-casework rebuild-projections`
fills the new columns from the log (make run and the tests start from an empty log).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID

revision = "casework_0003"
down_revision = "casework_0002"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.add_column("users", sa.Column("totp_secret", sa.Text, nullable=True), schema=SCHEMA)
    op.add_column("users", sa.Column("notify_mode", sa.String(16), nullable=False,
                                     server_default="immediate"), schema=SCHEMA)
    columns = [
        sa.Column("assignee_name", sa.Text, nullable=True),
        sa.Column("post_urls", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("stage_entered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("ever_forwarded", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("search", TSVECTOR, nullable=True),
    ]
    for column in columns:
        op.add_column("case_list", column, schema=SCHEMA)
    op.create_index("case_list_search", "case_list", ["search"], schema=SCHEMA, postgresql_using="gin")
    op.create_index("case_list_status", "case_list", ["status"], schema=SCHEMA)
    op.create_table(
        "case_links",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("linked_case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("reason", sa.String(32), primary_key=True),
        sa.Column("detail", sa.Text, nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "case_screenshots",
        sa.Column("evidence_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("perceptual_hash", sa.String(16), nullable=False),
        schema=SCHEMA,
    )
    op.create_table(
        "streams",
        sa.Column("stream_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        schema=SCHEMA,
    )
    # Heads for the streams already in the log.
    op.execute(f"""
        INSERT INTO {SCHEMA}.streams (stream_id, version, head_hash)
        SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM {SCHEMA}.events
        ORDER BY stream_id, version DESC
    """)  # noqa: S608 - SCHEMA is this file's constant
    op.create_table(
        "case_stages",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    for table in ("case_stages", "streams", "case_screenshots", "case_links"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_index("case_list_status", table_name="case_list", schema=SCHEMA)
    op.drop_index("case_list_search", table_name="case_list", schema=SCHEMA)
    for column in ("search", "ever_forwarded", "overdue", "due_at", "stage_entered_at", "post_urls",
                   "assignee_name"):
        op.drop_column("case_list", column, schema=SCHEMA)
    op.drop_column("users", "notify_mode", schema=SCHEMA)
    op.drop_column("users", "totp_secret", schema=SCHEMA)
