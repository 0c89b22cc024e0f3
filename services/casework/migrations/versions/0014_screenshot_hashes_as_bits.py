"""casework: each screenshot's pHash also as bit(64), so PostgreSQL counts the distance to a new one
without parsing every row's text (issue 14: case_links compared in Python, each with every other).

Revision ID: casework_0014
Revises: casework_0013
Create Date: 2026-12-07
"""

from alembic import op

revision = "casework_0014"
down_revision = "casework_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE casework.case_screenshots ADD COLUMN perceptual_bits bit(64)")
    op.execute("UPDATE casework.case_screenshots "
               "SET perceptual_bits = ('x' || lpad(perceptual_hash, 16, '0'))::bit(64)")
    op.execute("ALTER TABLE casework.case_screenshots ALTER COLUMN perceptual_bits SET NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE casework.case_screenshots DROP COLUMN perceptual_bits")
