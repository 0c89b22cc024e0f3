"""casework: `append_events` checks the stream before it takes the append lock (issue 14;
docs/decisions/0039).

Under the lock (decision 0002) an append now does only what the whole log's order needs: the
log head, the chain step, the events' rows, both heads. The stream's version and head hash are
read from `casework.streams` (one row by its key, not the stream's last event) and checked before
the lock, and the notification is queued before it (PostgreSQL sends it at the commit either way).
A stream moved by an append that commits between that check and this append's insert is still
refused: the insert of the same version waits for it and fails on `events_stream_version`, which
the adapter answers as a stale version, as it always has.

Revision ID: casework_0026
Revises: casework_0025
Create Date: 2026-12-07
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "casework_0026"
down_revision = "casework_0025"
branch_labels = None
depends_on = None

APPEND_EVENTS = """
CREATE OR REPLACE FUNCTION casework.append_events(
    p_stream uuid, p_expected integer, p_prev_hash text, p_events jsonb, p_lock bigint, p_channel text)
RETURNS TABLE (stream_version integer, positions bigint[])
LANGUAGE plpgsql AS $fn$
DECLARE
    v_current integer;
    v_head text;
    v_chain text;
    v_prev text := p_prev_hash;
    v_position bigint;
    v_positions bigint[] := '{}';
    v_event jsonb;
    v_offset integer := 0;
BEGIN
    -- Before the lock: the stream's head. An append to the same stream committed after this read
    -- makes the insert below fail on (stream_id, version), a stale version all the same.
    SELECT s.version, s.head_hash INTO v_current, v_head FROM casework.streams s WHERE s.stream_id = p_stream;
    v_current := coalesce(v_current, 0);
    IF v_current <> p_expected THEN
        RETURN QUERY SELECT v_current, NULL::bigint[];
        RETURN;
    END IF;
    IF v_head IS DISTINCT FROM p_prev_hash THEN
        RAISE EXCEPTION 'stream % version %: the append follows a head hash that is not the stored one',
            p_stream, v_current USING ERRCODE = 'data_exception';
    END IF;
    PERFORM pg_notify(p_channel, '');  -- sent at the commit, wherever it is queued
    -- Held until commit: appends commit in position order, so followers never pass one (0002).
    PERFORM pg_advisory_xact_lock(p_lock);
    SELECT h.log_hash INTO v_chain FROM casework.log_head h WHERE h.id = 1;
    FOR v_event IN SELECT value FROM jsonb_array_elements(p_events) LOOP
        v_offset := v_offset + 1;
        v_chain := encode(sha256(convert_to(coalesce(v_chain, '') || ':' || (v_event->>'hash'), 'UTF8')), 'hex');
        INSERT INTO casework.events (stream_id, version, event_id, event_type, class_version, data, metadata,
                                     recorded_at, prev_hash, hash, log_hash, hash_scheme, data_digest, data_salt)
        VALUES (p_stream, p_expected + v_offset, (v_event->>'event_id')::uuid, v_event->>'event_type',
                (v_event->>'class_version')::integer, v_event->'data', v_event->'metadata',
                (v_event->>'recorded_at')::timestamptz, v_prev, v_event->>'hash', v_chain,
                coalesce((v_event->>'hash_scheme')::integer, 1), v_event->>'data_digest', v_event->>'data_salt')
        RETURNING global_position INTO v_position;
        v_positions := v_positions || v_position;
        v_prev := v_event->>'hash';
    END LOOP;
    -- The log head is one row, there from the first append on: an UPDATE, inserted only the first time.
    UPDATE casework.log_head SET global_position = v_position, log_hash = v_chain WHERE id = 1;
    IF NOT FOUND THEN
        INSERT INTO casework.log_head (id, global_position, log_hash) VALUES (1, v_position, v_chain);
    END IF;
    INSERT INTO casework.streams AS s (stream_id, version, head_hash)
    VALUES (p_stream, p_expected + v_offset, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
    RETURN QUERY SELECT p_expected + v_offset, v_positions;
END
$fn$
"""


def upgrade() -> None:
    op.execute(APPEND_EVENTS)


def downgrade() -> None:
    # The function as migration casework 0018 made it (the stream read from its last event, under
    # the lock), read from that migration's file rather than copied here.
    path = Path(__file__).with_name("0018_events_hash_a_salted_digest.py")
    spec = importlib.util.spec_from_file_location("casework_0018", path)
    assert spec is not None and spec.loader is not None
    made_by_0018 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(made_by_0018)
    op.execute(made_by_0018.APPEND_EVENTS)
