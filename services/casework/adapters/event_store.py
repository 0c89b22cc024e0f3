"""The case event store in PostgreSQL: optimistic appends, a gap-free global order, a hash chain.

Global order: every append takes one transaction-scoped advisory lock before it
draws positions, so appends commit in position order and a follower reading
"position > checkpoint" can never pass over an event that commits later
(docs/decisions/0002). The append is one round trip: a database function does the locked part
(docs/decisions/0018, migration casework 0013).

Hash chains: each event stores the hash of its stream predecessor and its own hash
over its content; `streams` holds each stream's head. A second chain runs through the
whole log in global order (`log_hash`, with `log_head`), so a case removed whole is
seen too. `verify_log` then finds an event changed, removed or reordered directly in
the database, and names it (or, for what is gone, where it was).

Each event keeps the version of its class's fields it was written as (`class_version`); the
stored data is never rewritten, and readers bring it up to date (adapters/case_repository.py).

Hash schemes (docs/decisions/0031): an event of scheme 1 hashes its data itself; one of scheme 2
(every event appended since) hashes a salted digest of its data, kept beside it (`data_digest`,
`data_salt`). A purge (usecases/retention.py) may then remove an event's personal content and its
salt; the event names the purge record that did it (`purged_by`), the record names the event and
the digest of what is left of it, and the chains still check.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

from sqlalchemy import func, select, text
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
    hash_scheme: int = 1
    data_digest: str | None = None
    data_salt: str | None = None
    purged_by: uuid.UUID | None = None


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


HASH_SCHEME = 2  # what every append writes (docs/decisions/0031)


def new_salt() -> str:
    return secrets.token_hex(16)


def data_digest(data, salt: str) -> str:
    """The salted digest of an event's data that a scheme-2 hash covers. The salt is destroyed with
    the personal content at a purge, so the digest left cannot be tested against guesses (a NIP)."""
    return hashlib.sha256(bytes.fromhex(salt) + canonical(data).encode("utf-8")).hexdigest()


def kept_digest(data) -> str:
    """The digest of what a purge left of an event's data, named in the purge record."""
    return hashlib.sha256(b"netra:kept:" + canonical(data).encode("utf-8")).hexdigest()


def event_hash(*, stream_id, version, event_id, event_type, data, metadata, recorded_at,
               prev_hash, class_version: int = 1, hash_scheme: int = 1, data_digest: str | None = None) -> str:
    """The event's own hash. Scheme 1 covers `data` itself; scheme 2 covers `data_digest` instead
    (`data` is then not read), so the data may go while the hash still checks."""
    content = {
        "stream_id": str(stream_id), "version": version, "event_id": str(event_id),
        "event_type": event_type, "data": data, "metadata": metadata,
        "recorded_at": recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }
    if hash_scheme == 2:
        del content["data"]
        content.update(hash_scheme=2, class_version=class_version, data_digest=data_digest)
    # Hashed from version 2 on: an event of a class's first version (every one stored before
    # class versions existed) hashes as it always did (docs/decisions/0012).
    elif class_version != 1:
        content["class_version"] = class_version
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


_HASHED = ("stream_id", "version", "event_id", "event_type", "class_version", "data", "metadata",
           "recorded_at", "hash_scheme", "data_digest")


def stored_hash_of(row, prev_hash: str | None) -> str | None:
    """The hash an event row's stored content gives, after `prev_hash` (None: cannot be recomputed,
    a purged scheme-1 event, whose purge record vouches for its stored hash)."""
    scheme = getattr(row, "hash_scheme", 1) or 1
    if scheme == 1 and getattr(row, "purged_by", None) is not None:
        return None
    return event_hash(**{k: getattr(row, k, None) for k in _HASHED if k != "hash_scheme"},
                      hash_scheme=scheme, prev_hash=prev_hash)


def content_problem(row) -> str | None:
    """What is wrong with one event row's own content, apart from the purge record (None: nothing).
    A scheme-2 event's data must give its digest unless a purge removed it."""
    if (getattr(row, "hash_scheme", 1) or 1) == 2 and getattr(row, "purged_by", None) is None:
        if row.data_salt is None or data_digest(row.data, row.data_salt) != row.data_digest:
            return "content changed"
    recomputed = stored_hash_of(row, row.prev_hash)
    if recomputed is not None and recomputed != row.hash:
        return "content changed"
    return None


def log_hash(previous: str | None, own_hash: str) -> str:
    return hashlib.sha256(f"{previous or ''}:{own_hash}".encode()).hexdigest()


def _row(row) -> StoredEvent:
    return StoredEvent(row.global_position, row.stream_id, row.version, row.event_id,
                       row.event_type, row.class_version, row.data, row.metadata, row.recorded_at,
                       row.prev_hash, row.hash, row.hash_scheme, row.data_digest, row.data_salt, row.purged_by)


def load_stream(conn, stream_id: uuid.UUID) -> list[StoredEvent]:
    rows = conn.execute(select(events).where(events.c.stream_id == stream_id)
                        .order_by(events.c.version)).all()
    return [_row(r) for r in rows]


def current_version(conn, stream_id: uuid.UUID) -> int:
    return conn.execute(select(func.coalesce(func.max(events.c.version), 0))
                        .where(events.c.stream_id == stream_id)).scalar_one()


# The head hash the caller read with the stream, when it has it; otherwise append reads it.
UNREAD = object()


def append(conn, stream_id: uuid.UUID, expected_version: int, new_events: Sequence[NewEvent], *,
           head_hash: str | None | object = UNREAD) -> list[StoredEvent]:
    """Append events after `expected_version`, or raise StaleVersion with the current version.

    One round trip (docs/decisions/0018): the events' own hashes are computed here, from the head
    hash the caller read with the stream (`head_hash`, None for a new stream); the database
    function `casework.append_events` then takes the append lock, checks the version and that head
    under it, chains the events into the whole log, inserts them, moves both heads and notifies.
    """
    if not new_events:
        return []
    if head_hash is UNREAD:
        head_hash = _hash_at(conn, stream_id, expected_version)
    prev_hash = head_hash if isinstance(head_hash, str) else None
    stored, sent = [], []
    for offset, new in enumerate(new_events, 1):
        fields = {"stream_id": stream_id, "version": expected_version + offset,
                  "event_id": uuid.uuid4(), "event_type": new.event_type, "class_version": new.class_version,
                  "data": new.data, "metadata": new.metadata, "recorded_at": new.recorded_at,
                  "prev_hash": prev_hash, "hash_scheme": HASH_SCHEME}
        salt = new_salt()
        fields["data_digest"] = data_digest(new.data, salt)
        fields["hash"] = event_hash(**fields)
        stored.append({**fields, "data_salt": salt})
        sent.append({"event_id": str(fields["event_id"]), "event_type": new.event_type,
                     "class_version": new.class_version, "data": new.data, "metadata": new.metadata,
                     "recorded_at": new.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
                     "hash": fields["hash"], "hash_scheme": HASH_SCHEME,
                     "data_digest": fields["data_digest"], "data_salt": salt})
        prev_hash = fields["hash"]
    try:
        result = conn.execute(_APPEND, {
            "stream": stream_id, "expected": expected_version,
            "prev": head_hash if isinstance(head_hash, str) else None,
            "events": json.dumps(sent), "lock": APPEND_LOCK, "channel": NOTIFY_CHANNEL}).one()
    except IntegrityError:
        # Cannot happen under the lock unless the table was written around it.
        raise StaleVersion(expected_version, expected_version + 1) from None
    if result.positions is None:
        raise StaleVersion(expected_version, result.stream_version)
    return [StoredEvent(global_position=position, **fields)
            for position, fields in zip(result.positions, stored, strict=True)]


_APPEND = text("SELECT stream_version, positions FROM casework.append_events("
               ":stream, :expected, :prev, CAST(:events AS jsonb), :lock, :channel)")


def _hash_at(conn, stream_id: uuid.UUID, version: int) -> str | None:
    """The hash of the stream's event at `version` (None for none): what an append after it follows.
    Read outside the lock; the append checks it under the lock."""
    if version <= 0:
        return None
    return conn.execute(select(events.c.hash).where(events.c.stream_id == stream_id,
                                                    events.c.version == version)).scalar()


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
    purged = _PurgedAwaitingRecord(stream_id)
    for row in rows:
        if row.version != expected_version:
            problems.append(LogProblem(stream_id, expected_version, None,
                                       f"versions {expected_version}..{row.version - 1} missing (removed)"))
        if (problem := content_problem(row)) is not None:
            problems.append(LogProblem(stream_id, row.version, row.event_id, problem))
        elif row.prev_hash != (previous.hash if previous else None):
            problems.append(LogProblem(stream_id, row.version, row.event_id,
                                       "does not follow the event before it (removed or reordered)"))
        else:
            problems += purged.see(row)
        previous, expected_version = row, row.version + 1
    problems += purged.left_over()
    if head is not None and previous is not None and (head.version, head.head_hash) != (
            previous.version, previous.hash):
        problems.append(LogProblem(stream_id, head.version, None,
                                   f"the stream's head is version {head.version} but the log ends at "
                                   f"version {previous.version} (last events removed or changed)"))
    return problems


PURGE_RECORD = "case_purged"


class _PurgedAwaitingRecord:
    """Purged events of one stream, each waiting for the purge record after it that names it with
    the digest of what is left of it (and, for scheme 1, its hash)."""

    def __init__(self, stream_id):
        self.stream_id, self.waiting = stream_id, {}

    def see(self, row) -> list[LogProblem]:
        if getattr(row, "purged_by", None) is not None:
            self.waiting[row.version] = row
        if row.event_type != PURGE_RECORD:
            return []
        problems = []
        for named in row.data.get("events", []):
            event = self.waiting.get(named.get("version"))
            if event is None or event.purged_by != row.event_id:
                continue  # not purged (yet) by this record: left_over() or the event says so
            del self.waiting[event.version]
            if named.get("kept_digest") != kept_digest(event.data) or named.get("hash") != event.hash:
                problems.append(LogProblem(self.stream_id, event.version, event.event_id,
                                           "content changed (what the purge left is not what its record names)"))
        return problems

    def left_over(self) -> list[LogProblem]:
        return [LogProblem(self.stream_id, row.version, row.event_id,
                           "marked purged, but no purge record after it names it (content removed)")
                for row in self.waiting.values()]


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


def verify_log(conn, progress=None, batch_size: int = 2000) -> tuple[int, list[LogProblem]]:
    """Check every stream's chain and the whole log's; returns how many events were checked and
    what is wrong. In constant memory: the events are streamed from the server twice (by stream,
    then in global order), beside the stream heads in the same order as the first pass."""
    streamed = conn.execution_options(stream_results=True, yield_per=batch_size)
    total = conn.execute(select(func.count()).select_from(streams)).scalar_one()
    heads = iter(streamed.execute(select(streams).order_by(streams.c.stream_id)))
    head = next(heads, None)
    problems, headless, checked, done = [], [], 0, 0
    by_stream = streamed.execute(select(events).order_by(events.c.stream_id, events.c.version))
    for stream_id, rows in groupby(by_stream, key=lambda r: r.stream_id):
        while head is not None and head.stream_id < stream_id:  # a head whose events are all gone
            headless.append(LogProblem(head.stream_id, None, None, "every event of the stream was removed"))
            head = next(heads, None)
        own = head if head is not None and head.stream_id == stream_id else None
        counted = _Counted(rows)
        problems += _check_stream(stream_id, counted, own)
        checked, done = checked + counted.count, done + 1
        if own is not None:
            head = next(heads, None)
        if progress:
            progress(done, max(total, done))
    while head is not None:
        headless.append(LogProblem(head.stream_id, None, None, "every event of the stream was removed"))
        head = next(heads, None)
    in_order = streamed.execute(select(events.c.global_position, events.c.stream_id, events.c.version,
                                       events.c.event_id, events.c.hash, events.c.log_hash)
                                .order_by(events.c.global_position))
    log_end = conn.execute(select(log_head).where(log_head.c.id == 1)).first()
    return checked, problems + headless + _check_whole_log(in_order, log_end)


class _Counted:
    """The rows of one stream, counted as they go by."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
