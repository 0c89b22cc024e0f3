"""casework: events hash a salted digest of their data (scheme 2), so a purge can remove the
personal content and the chains still check (docs/decisions/0031, issue 18).

Adds `hash_scheme` (1 for every event stored before: they keep hashing their data itself),
`data_digest`, `data_salt` and `purged_by` to casework.events, and makes `append_events` store
the three new values each appended event brings.

Revision ID: casework_0018
Revises: casework_0016
Create Date: 2026-12-07
"""

from alembic import op

revision = "casework_0018"
down_revision = "casework_0016"  # after the append that commits in the same round trip (decision 0026)
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
    -- Held until commit: appends commit in position order, so followers never pass one (0002).
    PERFORM pg_advisory_xact_lock(p_lock);
    -- A statement of its own, after the lock: it sees every append committed before it.
    SELECT e.version, e.hash INTO v_current, v_head FROM casework.events e
     WHERE e.stream_id = p_stream ORDER BY e.version DESC LIMIT 1;
    v_current := coalesce(v_current, 0);
    IF v_current <> p_expected THEN
        RETURN QUERY SELECT v_current, NULL::bigint[];
        RETURN;
    END IF;
    IF v_head IS DISTINCT FROM p_prev_hash THEN
        RAISE EXCEPTION 'stream % version %: the append follows a head hash that is not the stored one',
            p_stream, v_current USING ERRCODE = 'data_exception';
    END IF;
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
    INSERT INTO casework.streams AS s (stream_id, version, head_hash)
    VALUES (p_stream, p_expected + v_offset, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
    INSERT INTO casework.log_head AS h (id, global_position, log_hash) VALUES (1, v_position, v_chain)
    ON CONFLICT (id) DO UPDATE SET global_position = excluded.global_position, log_hash = excluded.log_hash;
    PERFORM pg_notify(p_channel, '');
    RETURN QUERY SELECT p_expected + v_offset, v_positions;
END
$fn$
"""



APPEND_EVENTS_0013 = """
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
    -- Held until commit: appends commit in position order, so followers never pass one (0002).
    PERFORM pg_advisory_xact_lock(p_lock);
    -- A statement of its own, after the lock: it sees every append committed before it.
    SELECT e.version, e.hash INTO v_current, v_head FROM casework.events e
     WHERE e.stream_id = p_stream ORDER BY e.version DESC LIMIT 1;
    v_current := coalesce(v_current, 0);
    IF v_current <> p_expected THEN
        RETURN QUERY SELECT v_current, NULL::bigint[];
        RETURN;
    END IF;
    IF v_head IS DISTINCT FROM p_prev_hash THEN
        RAISE EXCEPTION 'stream % version %: the append follows a head hash that is not the stored one',
            p_stream, v_current USING ERRCODE = 'data_exception';
    END IF;
    SELECT h.log_hash INTO v_chain FROM casework.log_head h WHERE h.id = 1;
    FOR v_event IN SELECT value FROM jsonb_array_elements(p_events) LOOP
        v_offset := v_offset + 1;
        v_chain := encode(sha256(convert_to(coalesce(v_chain, '') || ':' || (v_event->>'hash'), 'UTF8')), 'hex');
        INSERT INTO casework.events (stream_id, version, event_id, event_type, class_version, data, metadata,
                                     recorded_at, prev_hash, hash, log_hash)
        VALUES (p_stream, p_expected + v_offset, (v_event->>'event_id')::uuid, v_event->>'event_type',
                (v_event->>'class_version')::integer, v_event->'data', v_event->'metadata',
                (v_event->>'recorded_at')::timestamptz, v_prev, v_event->>'hash', v_chain)
        RETURNING global_position INTO v_position;
        v_positions := v_positions || v_position;
        v_prev := v_event->>'hash';
    END LOOP;
    INSERT INTO casework.streams AS s (stream_id, version, head_hash)
    VALUES (p_stream, p_expected + v_offset, v_prev)
    ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
    INSERT INTO casework.log_head AS h (id, global_position, log_hash) VALUES (1, v_position, v_chain)
    ON CONFLICT (id) DO UPDATE SET global_position = excluded.global_position, log_hash = excluded.log_hash;
    PERFORM pg_notify(p_channel, '');
    RETURN QUERY SELECT p_expected + v_offset, v_positions;
END
$fn$
"""




def upgrade() -> None:
    op.execute("ALTER TABLE casework.events ADD COLUMN hash_scheme integer NOT NULL DEFAULT 1, "
               "ADD COLUMN data_digest varchar(64), ADD COLUMN data_salt varchar(32), ADD COLUMN purged_by uuid, "
               "ADD CONSTRAINT events_hash_scheme_known CHECK (hash_scheme IN (1, 2)), "
               "ADD CONSTRAINT events_scheme_2_has_digest CHECK (hash_scheme = 1 OR data_digest IS NOT NULL)")
    op.execute(APPEND_EVENTS)


def downgrade() -> None:
    op.execute(APPEND_EVENTS_0013)
    op.execute("ALTER TABLE casework.events DROP COLUMN hash_scheme, DROP COLUMN data_digest, "
               "DROP COLUMN data_salt, DROP COLUMN purged_by")
