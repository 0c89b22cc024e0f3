"""intake: a purged complaint (issue 18) keeps only what the statistics need, so a screenshot's hash
may be gone; and a reporter may withdraw their consent to be contacted and erase their contact
details from the status page: when they did is kept, never what was erased.

Revision ID: intake_0011
Revises: intake_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0011"
down_revision = "intake_0008"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.add_column("complaints", sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)
    op.add_column("complaints", sa.Column("contact_erased_at", sa.DateTime(timezone=True), nullable=True),
                  schema=SCHEMA)
    op.alter_column("screenshots", "sha256", nullable=True, schema=SCHEMA)


def downgrade() -> None:
    op.execute(f"UPDATE {SCHEMA}.screenshots SET sha256 = '' WHERE sha256 IS NULL")  # noqa: S608 - a constant
    op.alter_column("screenshots", "sha256", nullable=False, schema=SCHEMA)
    op.drop_column("complaints", "contact_erased_at", schema=SCHEMA)
    op.drop_column("complaints", "purged_at", schema=SCHEMA)
