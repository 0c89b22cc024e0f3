"""casework: a hash chain through the whole log in global order, and the log's head.

Revision ID: casework_0006
Revises: casework_0005
Create Date: 2026-12-01

Events already in the log are chained here, in global order, as appends will chain new ones.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "casework_0006"
down_revision = "casework_0005"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.add_column("events", sa.Column("log_hash", sa.String(64), nullable=True), schema=SCHEMA)
    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("global_position", sa.BigInteger, nullable=False),
        sa.Column("log_hash", sa.String(64), nullable=False),
        schema=SCHEMA,
    )
    conn = op.get_bind()
    chain, last = None, None
    rows = conn.execute(sa.text(f"SELECT global_position, hash FROM {SCHEMA}.events "  # noqa: S608
                                "ORDER BY global_position"))
    for position, own_hash in rows.all():
        # The formula of event_store.log_hash, written out: a migration must not change with the code.
        chain = hashlib.sha256(f"{chain or ''}:{own_hash}".encode()).hexdigest()
        conn.execute(sa.text(f"UPDATE {SCHEMA}.events SET log_hash = :h WHERE global_position = :p"),  # noqa: S608
                     {"h": chain, "p": position})
        last = position
    if last is not None:
        conn.execute(sa.text(f"INSERT INTO {SCHEMA}.log_head (id, global_position, log_hash) "  # noqa: S608
                             "VALUES (1, :p, :h)"), {"p": last, "h": chain})
    op.alter_column("events", "log_hash", nullable=False, schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("log_head", schema=SCHEMA)
    op.drop_column("events", "log_hash", schema=SCHEMA)
