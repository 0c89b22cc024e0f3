"""notify: every complaint is recorded, its reporter's sealed contact null when there is none
(anonymous, or no consent), so that a status change arriving first can wait for its complaint.

Revision ID: notify_0006
Revises: notify_0005
Create Date: 2026-11-26
"""

from alembic import op

revision = "notify_0006"
down_revision = "notify_0005"
branch_labels = None
depends_on = None

SCHEMA = "notify"


def upgrade() -> None:
    op.alter_column("reporter_contacts", "sealed_contact", nullable=True, schema=SCHEMA)


def downgrade() -> None:
    op.execute("DELETE FROM notify.reporter_contacts WHERE sealed_contact IS NULL")
    op.alter_column("reporter_contacts", "sealed_contact", nullable=False, schema=SCHEMA)
