"""casework: each stored event keeps the version of its class's fields it was written as.

Revision ID: casework_0009
Revises: casework_0008
Create Date: 2026-12-15

Every event stored until now was written as version 1 of its class. The data is never rewritten:
readers bring an older version up to date with the class's upcasters, and the hash of a version 1
event is what it always was (docs/decisions/0012).
"""

import sqlalchemy as sa
from alembic import op

revision = "casework_0009"
down_revision = "casework_0008"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table.
    op.add_column("events", sa.Column("class_version", sa.Integer, nullable=False, server_default="1"),
                  schema=SCHEMA)
    op.create_check_constraint("events_class_version_positive", "events", "class_version >= 1", schema=SCHEMA)


def downgrade() -> None:
    op.drop_constraint("events_class_version_positive", "events", schema=SCHEMA)
    op.drop_column("events", "class_version", schema=SCHEMA)
