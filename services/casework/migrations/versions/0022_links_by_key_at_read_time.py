"""casework: cases naming the same ASN or post are linked when read, from case_link_keys (issue 14;
docs/decisions/0035, "Links by a shared key at read time"). Stored as pairs, a key shared by k
cases made k² rows (~970k at 100k events); the keys are one row per case and key. The pairs
stored so far are deleted; the keys get an index on case_id, to read a case's own keys.

Revision ID: casework_0022
Revises: casework_0021
Create Date: 2026-12-07
"""

from alembic import op

revision = "casework_0022"
down_revision = "casework_0021"
branch_labels = None
depends_on = None

SCHEMA = "casework"


def upgrade() -> None:
    op.execute(f"DELETE FROM {SCHEMA}.case_links WHERE reason IN ('same_asn', 'same_post')")  # noqa: S608 - SCHEMA is this file's constant
    op.create_index("case_link_keys_case", "case_link_keys", ["case_id"], schema=SCHEMA)
    op.execute(f"ANALYZE {SCHEMA}.case_links")  # most of its rows went: plan its reads on what is left


def downgrade() -> None:
    op.drop_index("case_link_keys_case", table_name="case_link_keys", schema=SCHEMA)
    # The pairs again, from the keys, in both directions (the older code stores each link both
    # ways). Two cases sharing several posts get the first URL as the detail, not necessarily the
    # one the older code chose; `netra-casework rebuild-projections --only case_links` with the
    # older code makes exactly its own.
    op.execute(f"""
        INSERT INTO {SCHEMA}.case_links (case_id, linked_case_id, reason, detail)
        SELECT mine.case_id, theirs.case_id,
               CASE mine.kind WHEN 'nip' THEN 'same_asn' ELSE 'same_post' END, min(mine.key)
        FROM {SCHEMA}.case_link_keys mine
        JOIN {SCHEMA}.case_link_keys theirs
          ON theirs.kind = mine.kind AND theirs.key = mine.key AND theirs.case_id <> mine.case_id
        WHERE mine.kind IN ('nip', 'post')
        GROUP BY mine.case_id, theirs.case_id, mine.kind
        ON CONFLICT DO NOTHING""")  # noqa: S608 - SCHEMA is this file's constant
