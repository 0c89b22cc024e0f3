"""evidence: which binding each stored object was sealed under; rejections without bytes.

Revision ID: evidence_0003
Revises: evidence_0002
Create Date: 2026-12-01

Objects sealed before this revision are bound to their evidence id, copy, hash and size
(binding 1) and stay so: their ciphertext is not touched. New objects are also bound to
their complaint and time of receipt (binding 2). An upload whose quarantined bytes were gone
is rejected without a hash, so `rejections.sha256` may now be empty.
"""

import sqlalchemy as sa
from alembic import op

revision = "evidence_0003"
down_revision = "evidence_0002"
branch_labels = None
depends_on = None

SCHEMA = "evidence"


def upgrade() -> None:
    op.add_column("stored_objects", sa.Column("aad_version", sa.SmallInteger, nullable=False,
                                              server_default="1"), schema=SCHEMA)
    op.alter_column("rejections", "sha256", existing_type=sa.String(64), nullable=True,
                    schema=SCHEMA)


def downgrade() -> None:
    rejections = sa.table("rejections", sa.column("sha256"), schema=SCHEMA)
    op.execute(rejections.update().where(rejections.c.sha256.is_(None)).values(sha256=""))
    op.alter_column("rejections", "sha256", existing_type=sa.String(64), nullable=False,
                    schema=SCHEMA)
    op.drop_column("stored_objects", "aad_version", schema=SCHEMA)
