"""casework: cases with near-identical screenshots are linked when read, from case_screenshots
and case_screenshot_near (issue 14; docs/decisions/0035, "Near-identical screenshots at read
time"). Stored as pairs, k screenshots of one post made k² rows (~537k at 100k events); the
screenshots are one row each. Each screenshot gets the log position of the event that attached it
(of a near pair, the later one made the link and names it in the detail) and an index on its
hash; case_screenshot_near holds the pairs of distinct hashes near one another, made here from
the kept hashes; the stored pairs of cases are deleted.

Revision ID: casework_0025
Revises: casework_0022
Create Date: 2026-12-07
"""

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "casework_0025"
down_revision = "casework_0024"
branch_labels = None
depends_on = None

SCHEMA = "casework"
NEAR_DUPLICATE_DISTANCE = 12  # netra_common.contracts.perceptual, as of this migration


def upgrade() -> None:
    op.execute(f"ALTER TABLE {SCHEMA}.case_screenshots ADD COLUMN global_position bigint")
    # The first event of the case that attached the screenshot (a screenshot is kept once).
    op.execute(f"""
        UPDATE {SCHEMA}.case_screenshots s SET global_position = attached.global_position
        FROM (SELECT stream_id, (data->>'evidence_id')::uuid AS evidence_id, min(global_position) AS global_position
              FROM {SCHEMA}.events WHERE event_type = 'evidence_attached' AND data ? 'evidence_id'
              GROUP BY 1, 2) attached
        WHERE attached.stream_id = s.case_id AND attached.evidence_id = s.evidence_id""")  # noqa: S608 - SCHEMA is this file's constant
    # A row no event attached (none is expected): the earliest, which only orders the link's detail.
    op.execute(f"UPDATE {SCHEMA}.case_screenshots SET global_position = 0 WHERE global_position IS NULL")  # noqa: S608
    op.execute(f"ALTER TABLE {SCHEMA}.case_screenshots ALTER COLUMN global_position SET NOT NULL")
    op.create_index("case_screenshots_hash", "case_screenshots", ["perceptual_hash"], schema=SCHEMA)
    op.create_table("case_screenshot_near",
                    sa.Column("perceptual_hash", sa.String(16), primary_key=True),
                    sa.Column("near_hash", sa.String(16), primary_key=True), schema=SCHEMA)
    _near_pairs_of_kept_hashes()
    op.execute(f"DELETE FROM {SCHEMA}.case_links WHERE reason = 'similar_screenshot'")  # noqa: S608
    for table in ("case_links", "case_screenshots", "case_screenshot_near"):
        op.execute(f"ANALYZE {SCHEMA}.{table}")


def _near_pairs_of_kept_hashes() -> None:
    """Each distinct hash against every later one, in numpy (a nanosecond a pair; services/casework/
    adapters/near_hashes.py does the same for a rebuild), both ways."""
    conn = op.get_bind()
    hashes = sorted(conn.execute(sa.text(f"SELECT DISTINCT perceptual_hash FROM {SCHEMA}.case_screenshots"))  # noqa: S608
                    .scalars())
    bits = np.array([int(h, 16) for h in hashes], dtype=np.uint64)
    pairs = []
    for i in range(len(hashes) - 1):
        for j in (np.flatnonzero(np.bitwise_count(bits[i + 1:] ^ bits[i]) <= NEAR_DUPLICATE_DISTANCE) + i + 1).tolist():
            pairs += [{"a": hashes[i], "b": hashes[j]}, {"a": hashes[j], "b": hashes[i]}]
    if pairs:
        conn.execute(sa.text(f"INSERT INTO {SCHEMA}.case_screenshot_near (perceptual_hash, near_hash) "  # noqa: S608
                             "VALUES (:a, :b)"), pairs)


def downgrade() -> None:
    # The pairs again, both ways, each with the detail the older code gave it: the later
    # screenshot of the first near pair in log order, then the earlier one with the least id.
    op.execute(f"""
        INSERT INTO {SCHEMA}.case_links (case_id, linked_case_id, reason, detail)
        SELECT DISTINCT ON (mine.case_id, theirs.case_id) mine.case_id, theirs.case_id, 'similar_screenshot',
               CASE WHEN mine.global_position > theirs.global_position
                    THEN mine.evidence_id::text || '~' || theirs.evidence_id::text
                    ELSE theirs.evidence_id::text || '~' || mine.evidence_id::text END
        FROM {SCHEMA}.case_screenshots mine
        JOIN {SCHEMA}.case_screenshots theirs
          ON theirs.case_id <> mine.case_id
         AND bit_count(theirs.perceptual_bits # mine.perceptual_bits) <= {NEAR_DUPLICATE_DISTANCE}
        ORDER BY mine.case_id, theirs.case_id, greatest(mine.global_position, theirs.global_position),
                 CASE WHEN mine.global_position > theirs.global_position
                      THEN theirs.evidence_id ELSE mine.evidence_id END
        ON CONFLICT DO NOTHING""")  # noqa: S608 - SCHEMA is this file's constant
    op.drop_table("case_screenshot_near", schema=SCHEMA)
    op.drop_index("case_screenshots_hash", table_name="case_screenshots", schema=SCHEMA)
    op.execute(f"ALTER TABLE {SCHEMA}.case_screenshots DROP COLUMN global_position")
