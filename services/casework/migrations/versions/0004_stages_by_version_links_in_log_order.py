"""casework: stages keyed by the entering event's version; links from the projection's own keys.

Revision ID: casework_0004
Revises: casework_0003
Create Date: 2026-12-01

Both projections are emptied and their checkpoints removed: the projection runner
replays them from the log at the next start (they are derived, nothing is lost).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "casework_0004"
down_revision = "casework_0003"
branch_labels = None
depends_on = None

SCHEMA = "casework"
REBUILT = ("case_stages", "case_links")


def upgrade() -> None:
    op.drop_table("case_stages", schema=SCHEMA)
    op.create_table(
        "case_stages",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("entered_version", sa.Integer, primary_key=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "case_link_keys",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        schema=SCHEMA,
    )
    op.execute(f"DELETE FROM {SCHEMA}.case_links")  # noqa: S608 - SCHEMA is this file's constant
    op.execute(f"DELETE FROM {SCHEMA}.case_screenshots")  # noqa: S608
    op.execute(sa.text(f"DELETE FROM {SCHEMA}.projection_checkpoints WHERE projection = ANY(:names)")  # noqa: S608
               .bindparams(names=list(REBUILT)))


def downgrade() -> None:
    op.drop_table("case_link_keys", schema=SCHEMA)
    op.drop_table("case_stages", schema=SCHEMA)
    op.create_table(
        "case_stages",
        sa.Column("case_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.execute(sa.text(f"DELETE FROM {SCHEMA}.projection_checkpoints WHERE projection = ANY(:names)")  # noqa: S608
               .bindparams(names=list(REBUILT)))
