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
import os
import secrets
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg2
import psycopg2.extensions
from sqlalchemy import Boolean, Integer, column, func, select, text
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


# One encoder made once: json.dumps with these arguments makes a new one at every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(value) -> str:
    return _CANONICAL.encode(value)


HASH_SCHEME = 2  # what every append writes (docs/decisions/0031), its text made by `_scheme_2_hash`


def new_salt() -> str:
    return secrets.token_hex(16)


def data_digest(data, salt: str) -> str:
    """The salted digest of an event's data that a scheme-2 hash covers. The salt is destroyed with
    the personal content at a purge, so the digest left cannot be tested against guesses (a NIP)."""
    return _digest_of(canonical(data), salt)


def _digest_of(canonical_data: str, salt: str) -> str:
    return _salted_digest(bytes.fromhex(salt), canonical_data)


def _salted_digest(salt: bytes, canonical_data: str) -> str:
    """`_digest_of` from the salt's bytes (the append has them before their hex)."""
    return hashlib.sha256(salt + canonical_data.encode("utf-8")).hexdigest()


def kept_digest(data) -> str:
    """The digest of what a purge left of an event's data, named in the purge record."""
    return hashlib.sha256(b"netra:kept:" + canonical(data).encode("utf-8")).hexdigest()


def event_hash(*, stream_id, version, event_id, event_type, data, metadata, recorded_at,
               prev_hash, class_version: int = 1, hash_scheme: int = 1, data_digest: str | None = None) -> str:
    """The event's own hash. Scheme 1 covers `data` itself; scheme 2 covers `data_digest` instead
    (`data` is then not read), so the data may go while the hash still checks."""
    return _hash_of(str(stream_id), version, str(event_id), event_type, data, metadata,
                    recorded_at.astimezone(UTC).isoformat(timespec="microseconds"), prev_hash, class_version,
                    hash_scheme, data_digest)


def _hash_of(stream_id: str, version: int, event_id: str, event_type: str, data, metadata, recorded_at: str,
             prev_hash: str | None, class_version: int, hash_scheme: int = 1, digest: str | None = None) -> str:
    """An event's own hash, from its content with the ids and the UTC time already as text.
    verify-log writes the same text field by field for speed (`_matches`): a change to what the
    hash covers changes both (tests/unit/test_verify_log_speed.py holds them equal)."""
    content = {
        "stream_id": stream_id, "version": version, "event_id": event_id,
        "event_type": event_type, "data": data, "metadata": metadata, "recorded_at": recorded_at,
        "prev_hash": prev_hash,
    }
    if hash_scheme == 2:
        del content["data"]
        content.update(hash_scheme=2, class_version=class_version, data_digest=digest)
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
           head_hash: str | None | object = UNREAD, commit: bool = False) -> list[StoredEvent]:
    """Append events after `expected_version`, or raise StaleVersion with the current version.

    One round trip (docs/decisions/0018): the events' own hashes are computed here, from the head
    hash the caller read with the stream (`head_hash`, None for a new stream); the database
    function `casework.append_events` then checks the version and that head, takes the append lock,
    chains the events into the whole log, inserts them and moves both heads (migration casework
    0026: the stream is checked before the lock; a race on one stream ends on its unique version).

    `commit=True` when the append is the transaction's last statement: the COMMIT goes in the same
    round trip (docs/decisions/0026), so the append lock is held for the function and the commit's
    flush only, not while the answer travels back and the client sends the COMMIT. The transaction
    is committed on return (a new, empty one is open on the connection, for the caller to end as
    it would have ended this one); nothing may be written after it that must commit with it. When
    nothing was sent in the transaction before it, the append is the whole transaction and goes as
    one statement in autocommit: one round trip in all (docs/decisions/0039).
    """
    if not new_events:
        return []
    if head_hash is UNREAD:
        head_hash = _hash_at(conn, stream_id, expected_version)
    head = head_hash if isinstance(head_hash, str) else None
    stream_text = str(stream_id)
    prev_hash = head
    made, sent = [], []
    for version, new in enumerate(new_events, expected_version + 1):
        # The event's id and salt from one read of the system's random source: 16 bytes make the
        # id as uuid.uuid4 makes it, 16 the salt (new_salt's 16 bytes, as hex).
        random = _urandom(32)
        event_id = _UUID(bytes=random[:16], version=4)
        salt_bytes = random[16:]
        salt = salt_bytes.hex()
        event_text = str(event_id)
        recorded_at = new.recorded_at.astimezone(UTC).isoformat(timespec="microseconds")
        # The data's canonical text, made once: its digest covers it, and it goes to the database as
        # it is, inside the events' JSON (a JSON text is a JSON value wherever it stands). The
        # metadata's canonical text likewise: the hash covers it, and it is sent as it is.
        data_text = _canonical(new.data)
        metadata_text = _canonical(new.metadata)
        digest = _salted_digest(salt_bytes, data_text)
        own_hash = _scheme_2_hash(stream_text, version, event_text, new.event_type, metadata_text, recorded_at,
                                  prev_hash, new.class_version, digest)
        made.append((version, event_id, new, prev_hash, own_hash, digest, salt))
        # What casework.append_events reads of the event (as jsonb: the same values json.dumps gave).
        sent.append(f'{{"data":{data_text},"metadata":{metadata_text},"event_id":"{event_text}",'
                    f'"event_type":{_encode_str(new.event_type)},"class_version":{_json(new.class_version)},'
                    f'"recorded_at":"{recorded_at}","hash":"{own_hash}","hash_scheme":{HASH_SCHEME},'
                    f'"data_digest":"{digest}","data_salt":"{salt}"}}')
        prev_hash = own_hash
    arguments = {"stream": stream_text, "expected": expected_version, "prev": head,
                 "events": "[" + ",".join(sent) + "]", "lock": APPEND_LOCK, "channel": NOTIFY_CHANNEL}
    try:
        if not commit:
            positions = _append(conn, arguments)
        elif (raw := conn.connection.dbapi_connection).get_transaction_status() == _IDLE:
            positions = _append_alone(raw, arguments)
        else:
            positions = _append_committing(raw, arguments)
    except (IntegrityError, psycopg2.IntegrityError):
        # An append to the same stream committed between the function's check and its insert (by
        # any of the three paths: SQLAlchemy's error, or the driver's on its own cursor).
        raise StaleVersion(expected_version, expected_version + 1) from None
    return [StoredEvent(position, stream_id, version, event_id, new.event_type, new.class_version, new.data,
                        new.metadata, new.recorded_at, prev_hash, own_hash, HASH_SCHEME, digest, salt)
            for position, (version, event_id, new, prev_hash, own_hash, digest, salt)
            in zip(positions, made, strict=True)]


_urandom = os.urandom
_UUID = uuid.UUID


def _scheme_2_hash(stream_id: str, version: int, event_id: str, event_type: str, metadata: str, recorded_at: str,
                   prev_hash: str | None, class_version: int, digest: str | None) -> str:
    """`_hash_of(..., hash_scheme=2, digest=digest)` given the metadata's canonical JSON text, the
    ids as text and the time as UTC text: `canonical(content)` written field by field in the order
    of its sorted keys, each value as `canonical` writes it. The one writer of that text: the append
    hashes with it and verify-log checks with it (`_matches`); tests/unit/test_append_speed.py and
    test_verify_log_speed.py hold it equal to `_hash_of`. The text columns go through the string
    encoder, the others through `_json` (verify-log reads rows that may have been tampered with)."""
    return hashlib.sha256(
        f'{{"class_version":{_json(class_version)},"data_digest":{_json(digest)},'
        f'"event_id":{_encode_str(event_id)},"event_type":{_encode_str(event_type)},'
        f'"hash_scheme":2,"metadata":{metadata},"prev_hash":{_json(prev_hash)},'
        f'"recorded_at":{_encode_str(recorded_at)},"stream_id":{_encode_str(stream_id)},'
        f'"version":{_json(version)}}}'.encode()).hexdigest()


# The append alone (in the caller's transaction, or as one of its own in autocommit).
_APPEND = ("SELECT stream_version, positions FROM casework.append_events(%(stream)s, %(expected)s, "
           "%(prev)s, CAST(%(events)s AS jsonb), %(lock)s, %(channel)s)")
# The append and the COMMIT in one query string (migration casework 0016); BEGIN after it leaves
# the connection in a transaction, as the driver and the caller still take it to be.
_APPEND_AND_COMMIT = ("SELECT casework.append_events_last(%(stream)s, %(expected)s, %(prev)s, "
                      "CAST(%(events)s AS jsonb), %(lock)s, %(channel)s); COMMIT; BEGIN")
_STALE = "NX409"  # raised by append_events_last, the stream's version in its DETAIL
_POSITIONS = "casework.append_events_last positions "


def _append(conn, arguments: dict) -> list[int]:
    result = conn.exec_driver_sql(_APPEND, arguments).one()
    if result.positions is None:
        raise StaleVersion(arguments["expected"], result.stream_version)
    return list(result.positions)


# libpq's own view of the server's session (no round trip): no transaction open, nothing to commit with.
_IDLE = psycopg2.extensions.TRANSACTION_STATUS_IDLE


def _append_alone(raw, arguments: dict) -> list[int]:
    """An append that is its transaction's only statement (no transaction open on the connection:
    nothing was sent since its last commit): one statement in autocommit, so PostgreSQL commits it
    before it answers, and the BEGIN, the append and the COMMIT are one round trip, not three
    (docs/decisions/0039). The connection is left as it was found, idle: the caller's commit sends
    nothing. `raw`: the driver's connection."""
    was_autocommit, raw.autocommit = raw.autocommit, True
    try:
        with raw.cursor() as cursor:
            cursor.execute(_APPEND, arguments)
            version, positions = cursor.fetchone()
    finally:
        raw.autocommit = was_autocommit
    if positions is None:
        raise StaleVersion(arguments["expected"], version)
    return list(positions)


def _append_committing(raw, arguments: dict) -> list[int]:
    """The append with its COMMIT: the positions come back in a NOTICE (only the last statement's
    result reaches the client), a stale version as the error `NX409`. On the driver's own cursor:
    SQLAlchemy's would log the connection's notices and empty the list before they are read here."""
    try:
        with raw.cursor() as cursor:
            cursor.execute(_APPEND_AND_COMMIT, arguments)
    except psycopg2.Error as exc:
        if exc.pgcode == _STALE:
            raise StaleVersion(arguments["expected"], int(exc.diag.message_detail or 0)) from None
        raise
    for index in range(len(raw.notices) - 1, -1, -1):
        _, found, positions = raw.notices[index].partition(_POSITIONS)
        if found:
            del raw.notices[index]
            return [int(p) for p in positions.strip().split(",")]
    raise RuntimeError("casework.append_events_last committed but reported no positions")


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


# What verify-log reads of each event, in this order, as text where PostgreSQL can give the very text
# the hash covers (ids, the time in UTC as `isoformat(timespec="microseconds")` writes it), so the
# check below spends as little Python per event as it can. `_content_matches` is the per-event check;
# the pass in global order also reads each event's metadata (as text: its canonical form is kept by
# that text, most events share a few) and its `log_hash` (the whole log's chain, checked as it goes).
_UTC_TEXT = """to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
_CHECKED = ("global_position", "stream_id::text", "version", "event_id::text", "event_type", "class_version",
            "data::text", _UTC_TEXT, "prev_hash", "hash", "hash_scheme", "data_digest", "data_salt",
            "purged_by IS NOT NULL", "metadata::text", "log_hash")
_CHECKED_IN_ORDER = f"SELECT {', '.join(_CHECKED)} FROM casework.events ORDER BY global_position"  # noqa: S608
POSITION, STREAM, VERSION, EVENT_ID, EVENT_TYPE, CLASS_VERSION, DATA = range(7)
HASH, METADATA, LOG_HASH = 9, 14, 15

# The same canonical JSON as `canonical`, without the encoder `JSONEncoder.encode` makes anew at every
# call (about half its time on an event's data): CPython's C encoder made once, with `_CANONICAL`'s
# settings. It skips the check for circular references, which JSON parsed from text cannot have.
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_str = json.encoder.encode_basestring  # how `_CANONICAL` (ensure_ascii=False) writes a str
if _make_encoder is not None:
    _encode = _make_encoder(None, _CANONICAL.default, _encode_str, None, ":", ",", True, False, True)

    def _canonical(value) -> str:
        return "".join(_encode(value, 0))
else:  # pragma: no cover - an interpreter without json's C accelerator
    _canonical = canonical

_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in JSONDecoder.__init__


def _parsed(text: str):
    """json.loads(text), without its wrapper's work for what PostgreSQL's JSON text never has
    (leading or trailing white space: json.loads itself is asked then, and for anything it refuses)."""
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _json(value) -> str:
    """canonical(value), at once for the str, int and None an event row's own fields are."""
    kind = type(value)
    if kind is str:
        return _encode_str(value)
    if kind is int:
        return int.__repr__(value)
    return "null" if value is None else _canonical(value)


def _content_matches(row: tuple, data, metadata) -> bool:
    """verify-log's check of one event (a row of `_CHECKED`, its data and metadata as parsed from its
    DATA and METADATA columns): the hash stored with it is the hash of its stored content."""
    return _matches(row, data, _canonical(metadata))


def _matches(row: tuple, data, metadata: str) -> bool:
    """`_content_matches` given the metadata's canonical JSON text. The text each scheme hashes
    (`_hash_of`) is written field by field, each value as `canonical` writes it, in the order of its
    sorted keys: exactly `canonical(content)` (tests/unit/test_verify_log_speed.py); scheme 2's by
    `_scheme_2_hash`, which the append hashes with too, scheme 1's here. The ids, the
    type and the time are NOT NULL text columns (str, written by the string encoder itself); the
    others may be NULL or another type, and go through `_json`."""
    (_, stream_id, version, event_id, event_type, class_version, _, recorded_at, prev_hash, stored,
     scheme, digest, salt, purged) = row[:14]
    if scheme == 2:
        if not purged and (salt is None or _digest_of(_canonical(data), salt) != digest):
            return False  # the data is not what was hashed (a purged event's is checked by its record)
        return _scheme_2_hash(stream_id, version, event_id, event_type, metadata, recorded_at, prev_hash,
                              class_version, digest) == stored
    if scheme == 1 and purged:
        return True  # its stored hash is what its purge record names (_purge_problems)
    versioned = f'"class_version":{_json(class_version)},' if class_version != 1 else ""
    content = (f'{{{versioned}"data":{_canonical(data)},"event_id":{_encode_str(event_id)},'
               f'"event_type":{_encode_str(event_type)},"metadata":{metadata},"prev_hash":{_json(prev_hash)},'
               f'"recorded_at":{_encode_str(recorded_at)},"stream_id":{_encode_str(stream_id)},'
               f'"version":{_json(version)}}}')
    return hashlib.sha256(content.encode("utf-8")).hexdigest() == stored


# Every event whose row does not follow the one before it in its stream (a version missing, or a
# prev_hash that is not the previous event's hash), with what it should have followed.
_STREAM_BREAKS = text("""
SELECT global_position, stream_id, version, event_id, expected_version,
       prev_hash IS DISTINCT FROM previous_hash AS breaks_chain
  FROM (SELECT global_position, stream_id, version, event_id, prev_hash,
               coalesce(lag(version) OVER w + 1, 1) AS expected_version, lag(hash) OVER w AS previous_hash
          FROM casework.events WINDOW w AS (PARTITION BY stream_id ORDER BY version)) chained
 WHERE version <> expected_version OR prev_hash IS DISTINCT FROM previous_hash
 ORDER BY stream_id, version""").columns(events.c.global_position, events.c.stream_id, events.c.version,
                                          events.c.event_id, column("expected_version", Integer),
                                          column("breaks_chain", Boolean))
# Every stream head that is not the stream's last event (last_version NULL: no event left at all).
_HEAD_BREAKS = text("""
SELECT s.stream_id, s.version, last.version AS last_version
  FROM casework.streams s
  LEFT JOIN LATERAL (SELECT e.version, e.hash FROM casework.events e WHERE e.stream_id = s.stream_id
                      ORDER BY e.version DESC LIMIT 1) last ON true
 WHERE last.version IS NULL OR s.version <> last.version OR s.head_hash IS DISTINCT FROM last.hash
 ORDER BY s.stream_id""").columns(streams.c.stream_id, streams.c.version, column("last_version", Integer))
PURGE_RECORD = "case_purged"
# Every purged event, with the entry its purge record (later in the same stream) gives it, if any.
_PURGED = text("""
SELECT e.stream_id, e.version, e.event_id, e.data::text AS data, e.hash, n.named::text AS named
  FROM casework.events e
  LEFT JOIN casework.events r ON r.event_id = e.purged_by AND r.stream_id = e.stream_id
                              AND r.event_type = 'case_purged' AND r.version > e.version
  LEFT JOIN LATERAL (SELECT x AS named FROM jsonb_array_elements(r.data->'events') x
                      WHERE x->>'version' = e.version::text LIMIT 1) n ON true
 WHERE e.purged_by IS NOT NULL
 ORDER BY e.stream_id, e.version""").columns(events.c.stream_id, events.c.version, events.c.event_id,
                                              column("data"), events.c.hash, column("named"))


def purge_problem(data: dict, stored_hash: str, named: dict | None) -> str | None:
    """What is wrong with a purged event given its purge record's entry for it (None: nothing)."""
    if named is None:
        return "marked purged, but no purge record after it names it (content removed)"
    if named.get("kept_digest") != kept_digest(data) or named.get("hash") != stored_hash:
        return "content changed (what the purge left is not what its record names)"
    return None


def _purge_problems(conn) -> list[LogProblem]:
    problems = []
    for row in conn.execute(_PURGED):
        wrong = purge_problem(json.loads(row.data), row.hash, json.loads(row.named) if row.named else None)
        if wrong:
            problems.append(LogProblem(row.stream_id, row.version, row.event_id, wrong))
    return problems


@dataclass(frozen=True)
class _Breaks:
    """What PostgreSQL found not to chain: rows of `_STREAM_BREAKS` and `_HEAD_BREAKS`, the whole
    log's head, the purged events. Only rows with a problem: as small as the log is sound."""

    stream: list
    heads: list
    log_head: list[LogProblem]
    purged: list[LogProblem]


def _chain_breaks(conn) -> _Breaks:
    return _Breaks(conn.execute(_STREAM_BREAKS).all(), conn.execute(_HEAD_BREAKS).all(), _log_head_problems(conn),
                   _purge_problems(conn))


def _stream_problems(breaks: _Breaks, changed: dict[int, LogProblem]) -> list[LogProblem]:
    """Each stream's chain, in stream order: a version missing before an event, an event whose
    content changed (found by the pass in global order), else one that does not follow its
    predecessor; then the stream's head if it is not its last event; then heads of no event."""
    found: list[tuple[uuid.UUID, int, LogProblem]] = []
    rows = {row.global_position: row for row in breaks.stream}
    for position in sorted(rows.keys() | changed.keys(), key=lambda p: _stream_order(rows, changed, p)):
        row = rows.get(position)
        if row is not None and row.version != row.expected_version:
            found.append((row.stream_id, 0, LogProblem(
                row.stream_id, row.expected_version, None,
                f"versions {row.expected_version}..{row.version - 1} missing (removed)")))
        if position in changed:
            found.append((changed[position].stream_id, 0, changed[position]))
        elif row is not None and row.breaks_chain:
            found.append((row.stream_id, 0, LogProblem(row.stream_id, row.version, row.event_id,
                                                       "does not follow the event before it (removed or reordered)")))
    headless = []
    for head in breaks.heads:
        if head.last_version is None:
            headless.append(LogProblem(head.stream_id, None, None, "every event of the stream was removed"))
        else:
            found.append((head.stream_id, 1, LogProblem(
                head.stream_id, head.version, None, f"the stream's head is version {head.version} but the log ends "
                f"at version {head.last_version} (last events removed or changed)")))
    found.sort(key=lambda one: (one[0], one[1]))  # stable: each stream's events in order, its head last
    return [problem for _, _, problem in found] + headless


def _stream_order(rows: dict, changed: dict[int, LogProblem], position: int) -> tuple[uuid.UUID, int]:
    row = rows.get(position)
    if row is not None:
        return row.stream_id, row.version
    problem = changed[position]
    return problem.stream_id, problem.version or 0


def _log_break(row: tuple, previous_position: int | None) -> LogProblem:
    """The finding for an event (a row of `_CHECKED`) whose log_hash is not SHA-256("<the previous
    event's log_hash>:<its own hash>") in global order (`log_hash`, the text the append function
    hashes)."""
    after = f"position {previous_position}" if previous_position is not None else "the start of the log"
    return LogProblem(uuid.UUID(row[STREAM]), row[VERSION], uuid.UUID(row[EVENT_ID]),
                      f"does not follow {after} in the whole log (events removed there, perhaps a whole case, "
                      f"or moved)")


def _log_head_problems(conn) -> list[LogProblem]:
    """The whole log's head, if it is not the log's last event. (Each event's link in the chain
    through the whole log is checked by verify-log's pass in global order: `_log_break`.)"""
    problems = []
    last = conn.execute(select(events.c.global_position, events.c.log_hash, events.c.stream_id)
                        .order_by(events.c.global_position.desc()).limit(1)).first()
    head = conn.execute(select(log_head).where(log_head.c.id == 1)).first()
    if head is not None and (last is None or (head.global_position, head.log_hash)
                             != (last.global_position, last.log_hash)):
        end = f"position {last.global_position}" if last else "nothing"
        problems.append(LogProblem(last.stream_id if last else uuid.UUID(int=0), None, None,
                                   f"the log's head is position {head.global_position} but the log ends at "
                                   f"{end} (its last events removed)"))
    return problems


def _breaks_beside(conn, snapshot: str) -> _Breaks:
    """`_chain_breaks` on a connection of its own that sees the snapshot `snapshot` exported."""
    with conn.engine.connect() as other:
        other.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        other.execute(text("SET TRANSACTION SNAPSHOT :snapshot"), {"snapshot": snapshot})
        found = _chain_breaks(other)
        other.commit()
        return found


def _batches(cursor, size: int) -> Iterator[list]:
    """The cursor's rows a batch at a time, the next batch fetched (by a thread of its own, the
    server working meanwhile) while the caller checks this one: two batches in memory at most."""
    with ThreadPoolExecutor(1, thread_name_prefix="verify-log-fetch") as fetching:
        pending = fetching.submit(cursor.fetchmany, size)
        while batch := pending.result():
            pending = fetching.submit(cursor.fetchmany, size)
            yield batch


_METADATA_KEPT = 4096  # metadata texts whose canonical JSON verify-log keeps at once


def verify_log(conn, progress=None, batch_size: int = 2000, readable=None) -> tuple[int, list[LogProblem]]:
    """Check every stream's chain and the whole log's; returns how many events were checked and
    what is wrong (each stream's problems in stream order, heads of no event, the whole log's, then
    what `readable` says of events a reader would stop at).

    One pass over the events in global order, streamed from a server-side cursor in constant
    memory, checks each event's own hash (`_content_matches`) and, given `readable(event_type,
    class_version, data)` (None when it fits, else what is wrong), that its class reads it, and
    each event's link in the chain through the whole log (`log_hash`, in the order it reads). How
    the streams chain (versions, prev_hash, the heads), the log's head and the purged events
    PostgreSQL checks meanwhile, on a second connection, in a few queries that answer only the rows
    that do not chain. Both see one snapshot (REPEATABLE READ, read only, exported to the second),
    so an append committed meanwhile is not taken for a break. In a transaction the caller already
    holds, all of it runs there, in turn."""
    own = not conn.in_transaction()
    beside = None
    with ThreadPoolExecutor(1, thread_name_prefix="verify-log-chains") as chains:
        if own:
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            beside = chains.submit(_breaks_beside, conn, conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        total = conn.execute(select(func.count()).select_from(events)).scalar_one()
        changed: dict[int, LogProblem] = {}
        unreadable: list[LogProblem] = []
        checked = 0
        parsed, matches = _parsed, _matches
        # Each metadata text's canonical JSON, made once: a few texts serve most events. Bounded: emptied
        # when full, so memory stays constant however varied the metadata.
        metadata_of: dict[str, str] = {}
        log_breaks: list[LogProblem] = []  # the whole log's chain, in global order
        previous_position, previous_log = None, None
        with conn.connection.dbapi_connection.cursor(name="verify_log") as cursor:  # server-side
            cursor.execute(_CHECKED_IN_ORDER)
            for batch in _batches(cursor, batch_size):
                for row in batch:
                    data = parsed(row[DATA])
                    metadata = metadata_of.get(row[METADATA])
                    if metadata is None:
                        if len(metadata_of) >= _METADATA_KEPT:
                            metadata_of.clear()
                        metadata = metadata_of[row[METADATA]] = _canonical(parsed(row[METADATA]))
                    if row[LOG_HASH] != log_hash(previous_log, row[HASH]):
                        log_breaks.append(_log_break(row, previous_position))
                    previous_position, previous_log = row[POSITION], row[LOG_HASH]
                    if not matches(row, data, metadata):
                        changed[row[POSITION]] = LogProblem(uuid.UUID(row[STREAM]), row[VERSION],
                                                            uuid.UUID(row[EVENT_ID]), "content changed")
                    if readable is not None and (wrong := readable(row[EVENT_TYPE], row[CLASS_VERSION], data)):
                        unreadable.append(LogProblem(uuid.UUID(row[STREAM]), row[VERSION], uuid.UUID(row[EVENT_ID]),
                                                     f"does not fit its class: {wrong}"))
                checked += len(batch)
                if progress:
                    progress(checked, max(total, checked))
        if progress and not checked:
            progress(0, 0)
        breaks = beside.result() if beside is not None else _chain_breaks(conn)
    if own:
        conn.commit()
    return checked, _stream_problems(breaks, changed) + breaks.purged + log_breaks + breaks.log_head + unreadable
