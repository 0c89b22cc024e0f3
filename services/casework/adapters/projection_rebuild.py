"""Rebuilding a projection while casework runs (docs/decisions/0011-rebuild-beside-and-swap.md).

The log is replayed from zero into tables beside the live ones (`<name>_rebuild`), caught up
to the log's head, and swapped in with one transaction that holds the live projection's
checkpoint row: the live runner waits at that row, then carries on from where the rebuild
stopped. Readers see the old rows until the commit and the rebuilt ones after it, never a
half-filled table.

The replay from zero runs in memory (projection_memory.py, docs/decisions/0035): the log read
once in global order through a server-side cursor, no SQL per event, each table written once in
multi-row INSERTs. What was appended after that read is applied by the live path, as before.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import closing, contextmanager

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.logging import log_event
from services.casework.adapters import event_store
from services.casework.adapters.log_replay_read import read_in_order
from services.casework.adapters.projection_memory import in_memory
from services.casework.adapters.projections import apply_all, catch_up, checkpoint, save_checkpoint
from services.casework.adapters.tables import checkpoints

log = logging.getLogger(__name__)

SUFFIX = "_rebuild"
# Events fetched per round trip from the server-side cursor, and between progress reports.
READ_PAGE = 5000
# One rebuild at a time: a second one would drop the first one's tables under it.
_REBUILD_LOCK = "casework.rebuild-projections"


class RebuildRunning(RuntimeError):
    """Another rebuild holds the lock."""


def rebuild(engine, live, fresh, progress=None, batch_size: int = 500) -> int:
    """Replay the whole log into `fresh` (the same projection writing beside the live tables),
    then swap its rows into `live`'s tables; returns the events replayed."""
    with engine.connect() as holder:
        if not holder.execute(select(func.pg_try_advisory_lock(func.hashtext(_REBUILD_LOCK)))).scalar():
            raise RebuildRunning("another rebuild-projections is running")
        holder.commit()  # the lock is the session's: it outlives this transaction
        try:
            return _rebuild_locked(engine, live, fresh, progress, batch_size)
        finally:
            holder.execute(select(func.pg_advisory_unlock(func.hashtext(_REBUILD_LOCK))))
            holder.commit()


def _rebuild_locked(engine, live, fresh, progress, batch_size: int) -> int:
    applied = replay_beside(engine, live, fresh, progress, batch_size)
    applied += _swap(engine, live, fresh, batch_size)
    if progress:
        progress(applied, applied)
    log_event(log, "projection.rebuilt", projection=live.name, events=applied)
    return applied


def replay_beside(engine, live, fresh, progress=None, batch_size: int = 500) -> int:
    """Fill `fresh`'s tables, made anew beside `live`'s, from the whole log; returns the events
    replayed. The live tables are not touched: a check can compare them with this replay."""
    with engine.begin() as conn:
        total = conn.execute(select(func.count()).select_from(event_store.events)).scalar_one()
        _make_beside(conn, live, fresh)
    applied = _replay_in_memory(engine, fresh, progress, total)
    while batch := catch_up(engine, fresh, batch_size):
        applied += batch
        if progress:
            progress(min(applied, total), total)
    return applied


def _replay_in_memory(engine, fresh, progress, total: int) -> int:
    """The log as one snapshot, in global order (a snapshot sees a gap-free prefix of it, decision
    0002), through the projection's in-memory replay, written with its checkpoint in the same
    transaction: a rebuild that dies here leaves its tables empty at checkpoint 0."""
    with _collector_paused():
        # The replay and its cases are freed when this returns, before the collector runs again:
        # its first collection would otherwise walk every one of them once more.
        return _replay_and_write(engine, fresh, progress, total)


def _replay_and_write(engine, fresh, progress, total: int) -> int:
    applied = 0
    with engine.begin() as conn:
        replay = in_memory(fresh, conn)
        if replay is None:
            return 0
        later = _indexes_made_after(conn, fresh)
        position = 0
        # Closed here, before the transaction ends, even when a page's replay raises: the reading
        # thread stops before its cursor goes with the transaction.
        with closing(read_in_order(conn, READ_PAGE, replay.data_of)) as pages:
            for page in pages:
                for event in page:
                    replay.apply(event)
                position, applied = page[-1].global_position, applied + len(page)
                if progress:
                    progress(min(applied, total), total)
        replay.finish()
        for definition in later:
            conn.execute(text(definition))
        save_checkpoint(conn, fresh.name, position)
    return applied


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a replay holds every case: the replay makes tens
    of thousands of containers that live until its end (cases, events, rows) and no reference cycle,
    so each collection only walked them again, and a full one walks every object of the process. It
    was 35-50 % of a rebuild's CPU (0.2 s at 20k events, 1.6 s at 100k, the `rebuild-projections`
    command). What is freed is freed by reference counting as before; the collector runs again after.
    The switch is the whole process's: a rebuild runs in its operator command (or a test or the
    bench), never inside a service, and only for the seconds of its replay."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _indexes_made_after(conn, fresh) -> list[str]:
    """Drop the keys and indexes of `fresh`'s new, empty tables and return how to make them again:
    built once over the written rows (sorted, in one pass) they cost a fraction of keeping them up
    to date row by row. Made again before the catch-up, whose upserts need the keys; a key the
    replay broke would fail loudly there, never pass unseen."""
    made: list[str] = []
    for table in fresh.tables:
        name = _quoted(conn, table)
        for constraint in conn.execute(text(
                "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
                "WHERE conrelid = CAST(:table AS regclass) AND contype IN ('p', 'u')"), {"table": name}).all():
            quoted = conn.dialect.identifier_preparer.quote(constraint.conname)
            conn.execute(text(f"ALTER TABLE {name} DROP CONSTRAINT {quoted}"))
            made.append(f"ALTER TABLE {name} ADD CONSTRAINT {quoted} {constraint.definition}")
        for index in conn.execute(text(
                "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition "
                "FROM pg_index i WHERE i.indrelid = CAST(:table AS regclass)"), {"table": name}).all():
            conn.execute(text(f"DROP INDEX {index.name}"))
            made.append(index.definition)
    return made


def drop_beside(engine, fresh) -> None:
    with engine.begin() as conn:
        for table in fresh.tables:
            conn.execute(text(f"DROP TABLE IF EXISTS {_quoted(conn, table)}"))
        conn.execute(delete(checkpoints).where(checkpoints.c.projection == fresh.name))


def _make_beside(conn, live, fresh) -> None:
    """Empty twins of the live tables (columns, defaults, keys and indexes alike)."""
    for live_table, fresh_table in zip(live.tables, fresh.tables, strict=True):
        conn.execute(text(f"DROP TABLE IF EXISTS {_quoted(conn, fresh_table)}"))
        conn.execute(text(f"CREATE TABLE {_quoted(conn, fresh_table)} "
                          f"(LIKE {_quoted(conn, live_table)} INCLUDING ALL)"))
    save_checkpoint(conn, fresh.name, 0)


def _swap(engine, live, fresh, batch_size: int) -> int:
    """In one transaction: hold the live checkpoint (the live runner waits), apply what was
    appended since the catch-up, replace the live rows by the rebuilt ones, move the checkpoint."""
    with engine.begin() as conn:
        conn.execute(pg_insert(checkpoints).values(projection=live.name, position=0).on_conflict_do_nothing())
        conn.execute(select(checkpoints.c.position).where(checkpoints.c.projection == live.name).with_for_update())
        position, applied = checkpoint(conn, fresh.name), 0
        while batch := event_store.read_all(conn, position, batch_size):
            apply_all(conn, fresh, batch)
            position, applied = batch[-1].global_position, applied + len(batch)
        for live_table, fresh_table in zip(live.tables, fresh.tables, strict=True):
            # DELETE, not TRUNCATE: a reader whose snapshot is older still sees the old rows.
            conn.execute(delete(live_table))
            columns = [c.name for c in live_table.columns]
            conn.execute(live_table.insert().from_select(columns, select(*(fresh_table.c[c] for c in columns))))
            conn.execute(text(f"DROP TABLE {_quoted(conn, fresh_table)}"))
        save_checkpoint(conn, live.name, position)
        conn.execute(delete(checkpoints).where(checkpoints.c.projection == fresh.name))
    return applied


def _quoted(conn, table) -> str:
    return conn.dialect.identifier_preparer.format_table(table)
