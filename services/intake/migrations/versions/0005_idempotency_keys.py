"""intake: answers kept for a retry sent with the same Idempotency-Key, sealed, for a day.

Revision ID: intake_0005
Revises: intake_0004
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0005"
down_revision = "intake_0004"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("lookup", sa.String(64), primary_key=True),
        sa.Column("request_mac", sa.LargeBinary, nullable=False),
        sa.Column("sealed_answer", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys", schema=SCHEMA)
