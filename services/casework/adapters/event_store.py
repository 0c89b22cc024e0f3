"""The case event store in PostgreSQL: optimistic appends, a gap-free global order, a hash chain.

Global order: every append takes one transaction-scoped advisory lock before it
draws positions, so appends commit in position order and a follower reading
"position > checkpoint" can never pass over an event that commits later
(docs/decisions/0002).

Hash chains: each event stores the hash of its stream predecessor and its own hash
over its content; `streams` holds each stream's head. A second chain runs through the
whole log in global order (`log_hash`, with `log_head`), so a case removed whole is
seen too. `verify_log` then finds an event changed, removed or reordered directly in
the database, and names it (or, for what is gone, where it was).

Each event keeps the version of its class's fields it was written as (`class_version`); the
stored data is never rewritten, and readers bring it up to date (adapters/case_repository.py).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from services.casework.adapters.tables import events, log_head, streams
from services.casework.domain.errors import StaleVersion

APPEND_LOCK = 7_312_004  # any constant; one lock serialises all appends
NOTIFY_CHANNEL = "casework_events"


@dataclass(frozen=True)
class StoredEvent:
    global_position: int
    stream_id: uuid.UUID
    version: int
    event_id: uuid.UUID
    event_type: str
    class_version: int  # the version of its class's fields the data was written as
    data: dict
    metadata: dict
    recorded_at: datetime
    prev_hash: str | None
    hash: str


@dataclass(frozen=True)
class NewEvent:
    """An event to append: its type, its class's version and data, its metadata, and when it was
    recorded (the time the aggregate applied it)."""

    event_type: str
    class_version: int
    data: dict
    metadata: dict
    recorded_at: datetime


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(*, stream_id, version, event_id, event_type, data, metadata, recorded_at,
               prev_hash, class_version: int = 1) -> str:
    content = {
        "stream_id": str(stream_id), "version": version, "event_id": str(event_id),
        "event_type": event_type, "data": data, "metadata": metadata,
        "recorded_at": recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }
    # Hashed from version 2 on: an event of a class's first version (every one stored before
    # class versions existed) hashes as it always did (docs/decisions/0012).
    if class_version != 1:
        content["class_version"] = class_version
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def log_hash(previous: str | None, own_hash: str) -> str:
    return hashlib.sha256(f"{previous or ''}:{own_hash}".encode()).hexdigest()


def _row(row) -> StoredEvent:
    return StoredEvent(row.global_position, row.stream_id, row.version, row.event_id,
                       row.event_type, row.class_version, row.data, row.metadata, row.recorded_at,
                       row.prev_hash, row.hash)


def load_stream(conn, stream_id: uuid.UUID) -> list[StoredEvent]:
    rows = conn.execute(select(events).where(events.c.stream_id == stream_id)
                        .order_by(events.c.version)).all()
    return [_row(r) for r in rows]


def current_version(conn, stream_id: uuid.UUID) -> int:
    return conn.execute(select(func.coalesce(func.max(events.c.version), 0))
                        .where(events.c.stream_id == stream_id)).scalar_one()


def append(conn, stream_id: uuid.UUID, expected_version: int, new_events: Sequence[NewEvent]) -> list[StoredEvent]:
    """Append events after `expected_version`, or raise StaleVersion with the current version."""
    if not new_events:
        return []
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
    head = conn.execute(select(events.c.version, events.c.hash)
                        .where(events.c.stream_id == stream_id)
                        .order_by(events.c.version.desc()).limit(1)).first()
    current, prev_hash = (head.version, head.hash) if head else (0, None)
    if current != expected_version:
        raise StaleVersion(expected_version, current)
    chain = conn.execute(select(log_head.c.log_hash).where(log_head.c.id == 1)).scalar()
    stored = []
    for offset, new in enumerate(new_events, 1):
        fields = {"stream_id": stream_id, "version": expected_version + offset,
                  "event_id": uuid.uuid4(), "event_type": new.event_type, "class_version": new.class_version,
                  "data": new.data, "metadata": new.metadata, "recorded_at": new.recorded_at,
                  "prev_hash": prev_hash}
        fields["hash"] = event_hash(**fields)
        chain = log_hash(chain, fields["hash"])
        try:
            position = conn.execute(insert(events).values(**fields, log_hash=chain)
                                    .returning(events.c.global_position)).scalar_one()
        except IntegrityError:
            # Cannot happen under the lock unless the table was written around it.
            raise StaleVersion(expected_version, current_version(conn, stream_id)) from None
        stored.append(StoredEvent(global_position=position, **fields))
        prev_hash = fields["hash"]
    _move_heads(conn, stream_id, stored[-1], chain)
    conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})
    return stored


def _move_heads(conn, stream_id: uuid.UUID, last: StoredEvent, chain: str) -> None:
    head_row = pg_insert(streams).values(stream_id=stream_id, version=last.version, head_hash=last.hash)
    conn.execute(head_row.on_conflict_do_update(
        index_elements=[streams.c.stream_id],
        set_={"version": head_row.excluded.version, "head_hash": head_row.excluded.head_hash}))
    whole = pg_insert(log_head).values(id=1, global_position=last.global_position, log_hash=chain)
    conn.execute(whole.on_conflict_do_update(index_elements=[log_head.c.id], set_={
        "global_position": whole.excluded.global_position, "log_hash": whole.excluded.log_hash}))


def read_all(conn, after_position: int, limit: int = 500) -> list[StoredEvent]:
    rows = conn.execute(select(events).where(events.c.global_position > after_position)
                        .order_by(events.c.global_position).limit(limit)).all()
    return [_row(r) for r in rows]


# --- verification --------------------------------------------------------------------


@dataclass(frozen=True)
class LogProblem:
    stream_id: uuid.UUID
    version: int | None
    event_id: uuid.UUID | None
    problem: str

    def __str__(self) -> str:
        where = f"stream {self.stream_id}"
        if self.version is not None:
            where += f" version {self.version}"
        if self.event_id is not None:
            where += f" (event {self.event_id})"
        return f"{where}: {self.problem}"


def _check_stream(stream_id, rows, head) -> list[LogProblem]:
    problems, previous, expected_version = [], None, 1
    for row in rows:
        if row.version != expected_version:
            problems.append(LogProblem(stream_id, expected_version, None,
                                       f"versions {expected_version}..{row.version - 1} missing (removed)"))
        fields = {k: getattr(row, k) for k in ("stream_id", "version", "event_id", "event_type", "class_version",
                                               "data", "metadata", "recorded_at", "prev_hash")}
        if event_hash(**fields) != row.hash:
            problems.append(LogProblem(stream_id, row.version, row.event_id, "content changed"))
        elif row.prev_hash != (previous.hash if previous else None):
            problems.append(LogProblem(stream_id, row.version, row.event_id,
                                       "does not follow the event before it (removed or reordered)"))
        previous, expected_version = row, row.version + 1
    if head is not None and previous is not None and (head.version, head.head_hash) != (
            previous.version, previous.hash):
        problems.append(LogProblem(stream_id, head.version, None,
                                   f"the stream's head is version {head.version} but the log ends at "
                                   f"version {previous.version} (last events removed or changed)"))
    return problems


def _check_whole_log(rows, head) -> list[LogProblem]:
    """The chain through the whole log: names the first event after each break."""
    problems, previous = [], None
    for row in rows:
        if row.log_hash != log_hash(previous.log_hash if previous else None, row.hash):
            after = f"position {previous.global_position}" if previous else "the start of the log"
            problems.append(LogProblem(row.stream_id, row.version, row.event_id,
                                       f"does not follow {after} in the whole log (events removed there, "
                                       f"perhaps a whole case, or moved)"))
        previous = row
    if head is not None and (previous is None or (head.global_position, head.log_hash)
                             != (previous.global_position, previous.log_hash)):
        end = f"position {previous.global_position}" if previous else "nothing"
        problems.append(LogProblem(previous.stream_id if previous else uuid.UUID(int=0), None, None,
                                   f"the log's head is position {head.global_position} but the log ends at "
                                   f"{end} (its last events removed)"))
    return problems


def verify_log(conn, progress=None) -> tuple[int, list[LogProblem]]:
    """Check every stream's chain and the whole log's; returns how many events were checked and
    what is wrong."""
    heads = {h.stream_id: h for h in conn.execute(select(streams))}
    rows = conn.execute(select(events).order_by(events.c.stream_id, events.c.version)).all()
    by_stream: dict[uuid.UUID, list] = {}
    for row in rows:
        by_stream.setdefault(row.stream_id, []).append(row)
    problems = []
    for done, (stream_id, stream_rows) in enumerate(by_stream.items(), start=1):
        problems += _check_stream(stream_id, stream_rows, heads.get(stream_id))
        if progress:
            progress(done, len(by_stream))
    for stream_id in heads.keys() - by_stream.keys():
        problems.append(LogProblem(stream_id, None, None, "every event of the stream was removed"))
    in_order = sorted(rows, key=lambda r: r.global_position)
    problems += _check_whole_log(in_order, conn.execute(select(log_head).where(log_head.c.id == 1)).first())
    return len(rows), problems
