"""intake: each upload's intent, committed before it is put into quarantine, so that an upload
whose filing never committed is found and removed within minutes.

Revision ID: intake_0006
Revises: intake_0005
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = "intake_0006"
down_revision = "intake_0005"
branch_labels = None
depends_on = None

SCHEMA = "intake"


def upgrade() -> None:
    op.create_table(
        "upload_intents",
        sa.Column("object_key", sa.String(200), primary_key=True),
        sa.Column("intended_at", sa.DateTime(timezone=True), nullable=False, index=True),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("upload_intents", schema=SCHEMA)
