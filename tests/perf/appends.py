"""Event appends of ~1 KB, one stream per writer: Netra's event store, and its peer, the
`eventsourcing` library's PostgreSQL application recorder (global order by LOCK TABLE and one
INSERT ... RETURNING), on the same database with the same event size and number of writers.

The peer is installed for the benchmark only (`make bench-deps`, requirements-bench.txt)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import urlparse

from sqlalchemy import create_engine

from services.casework.adapters import event_store
from services.casework.adapters.event_store import NewEvent
from tests.perf.limits import EVENT_BYTES, rate

# The data of a case event of about EVENT_BYTES once stored (the description is most of it).
DATA = {"case_number": "NTR-2026-00001", "description": "k" * (EVENT_BYTES - 200)}


# How an append is sent: alone (its transaction's only statement: one round trip, decision 0039);
# last (after another statement, as a command's unit of work ends: sent with its COMMIT, 0026);
# own_commit (the COMMIT a round trip of its own, 0018).
PATHS = ("alone", "last", "own_commit")


def netra(url: str, writers: int, path: str = "alone") -> float:
    """Appends/s by one of PATHS. `last` also pays the statement before it (a `SELECT 1`, as a
    command reads its case first): its figure is a transaction's, not the append's alone."""
    engine = create_engine(url, pool_size=writers, max_overflow=0)

    def setup():
        stream, version, head = uuid.uuid4(), 0, None

        def one():
            nonlocal version, head
            with engine.begin() as conn:
                if path == "last":
                    conn.exec_driver_sql("SELECT 1")
                [stored] = event_store.append(conn, stream, version, [
                    NewEvent("case_noted", 1, DATA, {"actor": "bench"}, datetime.now(UTC))], head_hash=head,
                    commit=path != "own_commit")
            version, head = stored.version, stored.hash
        return one
    try:
        return rate(lambda: None, threads=writers, setup=setup)
    finally:
        engine.dispose()


def peer(url: str, writers: int) -> float:
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    parts = urlparse(url.replace("postgresql+psycopg2", "postgresql"))
    datastore = PostgresDatastore(parts.path.lstrip("/"), parts.hostname or "127.0.0.1", parts.port or 5432,
                                  parts.username or "", parts.password or "", pool_size=writers,
                                  schema="bench_peer")
    with datastore.get_connection() as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS bench_peer")
    recorder = PostgresApplicationRecorder(datastore, events_table_name="stored_events")
    recorder.create_table()
    state = b"k" * EVENT_BYTES

    def setup():
        stream, version = uuid.uuid4(), 0

        def one():
            nonlocal version
            version += 1
            recorder.insert_events([StoredEvent(originator_id=stream, originator_version=version,
                                                topic="bench:CaseNoted", state=state)])
        return one
    try:
        return rate(lambda: None, threads=writers, setup=setup)
    finally:
        datastore.close()
