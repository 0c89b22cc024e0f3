"""casework: `casework.append_events_last`, the append a unit of work ends with (docs/decisions/0026).

The adapter sends it in one query string with the COMMIT that follows it, so the append lock
(decision 0002) is held for the append function and the commit's WAL flush only, never across a
round trip back to the client. The function then cannot answer a result (the client reads the
last statement's only); it raises `NX409` with the stream's version as DETAIL when the expected
version is stale, and reports the events' global positions in a NOTICE, which the client reads
from the same answer.

Revision ID: casework_0016
Revises: casework_0014
Create Date: 2026-12-07
"""

from alembic import op

revision = "casework_0016"
down_revision = "casework_0014"
branch_labels = None
depends_on = None

APPEND_EVENTS_LAST = """
CREATE OR REPLACE FUNCTION casework.append_events_last(
    p_stream uuid, p_expected integer, p_prev_hash text, p_events jsonb, p_lock bigint, p_channel text)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    v_version integer;
    v_positions bigint[];
BEGIN
    SELECT a.stream_version, a.positions INTO v_version, v_positions
      FROM casework.append_events(p_stream, p_expected, p_prev_hash, p_events, p_lock, p_channel) a;
    IF v_positions IS NULL THEN
        RAISE EXCEPTION 'stream % is at version %, not %', p_stream, v_version, p_expected
            USING ERRCODE = 'NX409', DETAIL = v_version::text;
    END IF;
    PERFORM set_config('client_min_messages', 'notice', true);
    RAISE NOTICE 'casework.append_events_last positions %', array_to_string(v_positions, ',');
END
$fn$
"""


def upgrade() -> None:
    op.execute(APPEND_EVENTS_LAST)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS casework.append_events_last(uuid, integer, text, jsonb, bigint, text)")
