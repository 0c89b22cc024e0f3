"""casework: sessions end when idle or at their lifetime; failed logins are counted per name and place.

Revision ID: casework_0008
Revises: casework_0007
Create Date: 2026-12-08

`sessions.expires_at` stays the absolute end; `idle_expires_at` moves on with use. A session
ended by an account change says why (`end_reason`). Failed logins are no longer counted on the
account (a stranger could lock its holder out): `login_limits` counts them per (name as typed,
client) and in total, under HMAC'd keys; `login_pace` spaces attempts out while the total is high
(docs/decisions/0006).
"""

import sqlalchemy as sa
from alembic import op

revision = "casework_0008"
down_revision = "casework_0007"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.add_column("sessions", sa.Column("idle_expires_at", sa.DateTime(timezone=True), nullable=True),
                  schema=SCHEMA)
    op.add_column("sessions", sa.Column("end_reason", sa.String(32), nullable=True), schema=SCHEMA)
    op.execute(f"UPDATE {SCHEMA}.sessions SET idle_expires_at = expires_at")  # noqa: S608
    op.alter_column("sessions", "idle_expires_at", nullable=False, schema=SCHEMA)
    op.create_index("sessions_user", "sessions", ["user_id"], schema=SCHEMA)
    op.drop_column("users", "failed_logins", schema=SCHEMA)
    op.drop_column("users", "locked_until", schema=SCHEMA)
    op.create_table(
        "login_limits",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.create_table(
        "login_pace",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("next_slot_at", sa.DateTime(timezone=True), nullable=False),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("login_pace", schema=SCHEMA)
    op.drop_table("login_limits", schema=SCHEMA)
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)
    op.add_column("users", sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
                  schema=SCHEMA)
    op.drop_index("sessions_user", table_name="sessions", schema=SCHEMA)
    op.drop_column("sessions", "end_reason", schema=SCHEMA)
    op.drop_column("sessions", "idle_expires_at", schema=SCHEMA)
