"""casework: remember the last TOTP time step accepted, so a code logs in only once.

Revision ID: casework_0005
Revises: casework_0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "casework_0005"
down_revision = "casework_0004"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger, nullable=True), schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("users", "totp_last_step", schema=SCHEMA)
