"""The append's quicker event building (issue 14: less of the client's CPU per append) gives what the
code it replaced gave, byte for byte where a byte is hashed or stored: the same ids, salts, digests
and hashes, the same values in the events' JSON text the database function reads, the same events
returned. The old code is kept here as the reference, drawing its randomness in the same order
(uuid.uuid4's 16 bytes, then new_salt's 16) from the same stream as the new one."""

from __future__ import annotations

import hashlib
import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.casework.adapters import event_store
from services.casework.adapters.event_store import HASH_SCHEME, NewEvent, StoredEvent

# JSON values the event data and metadata may hold, including text needing escapes, non-ASCII
# text, floats and large integers (as tests/unit/test_verify_log_speed.py; no NaN, which neither
# PostgreSQL's jsonb nor an equality check takes).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False) | TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                      max_leaves=20)
OBJECTS = st.dictionaries(TEXT, VALUES, max_size=6)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))])
TIMES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES)
EVENTS = st.builds(NewEvent, TEXT, st.integers(min_value=1, max_value=2**40), OBJECTS, OBJECTS, TIMES)
HEADS = st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64) | TEXT


def reference_events(stream_id, expected_version, new_events, head_hash):
    """The event building of `event_store.append` before this change (commit 269c484): the
    arguments it sent and the events it returned, given their positions."""
    prev_hash = head_hash if isinstance(head_hash, str) else None
    stream_text = str(stream_id)
    stored, sent = [], []
    for version, new in enumerate(new_events, expected_version + 1):
        event_id, salt = uuid.uuid4(), event_store.new_salt()
        recorded_at = new.recorded_at.astimezone(UTC).isoformat(timespec="microseconds")
        data_text = event_store.canonical(new.data)
        digest = event_store._digest_of(data_text, salt)
        own_hash = event_store._hash_of(stream_text, version, str(event_id), new.event_type, None, new.metadata,
                                        recorded_at, prev_hash, new.class_version, HASH_SCHEME, digest)
        stored.append({"stream_id": stream_id, "version": version, "event_id": event_id,
                       "event_type": new.event_type, "class_version": new.class_version, "data": new.data,
                       "metadata": new.metadata, "recorded_at": new.recorded_at, "prev_hash": prev_hash,
                       "hash": own_hash, "hash_scheme": HASH_SCHEME, "data_digest": digest, "data_salt": salt})
        rest = json.dumps({"event_id": str(event_id), "event_type": new.event_type,
                           "class_version": new.class_version, "metadata": new.metadata, "recorded_at": recorded_at,
                           "hash": own_hash, "hash_scheme": HASH_SCHEME, "data_digest": digest, "data_salt": salt})
        sent.append('{"data":' + data_text + "," + rest[1:])
        prev_hash = own_hash
    arguments = {"stream": stream_text, "expected": expected_version,
                 "prev": head_hash if isinstance(head_hash, str) else None,
                 "events": "[" + ",".join(sent) + "]", "lock": event_store.APPEND_LOCK,
                 "channel": event_store.NOTIFY_CHANNEL}
    return arguments, stored


class _Randomness:
    """os.urandom from one seeded stream: whoever draws the same bytes in the same order gets them."""

    def __init__(self, seed: int):
        self.seed, self.drawn = seed, 0

    def __call__(self, size: int) -> bytes:
        out = b""
        while len(out) < size:
            out += hashlib.sha256(f"{self.seed}:{self.drawn}".encode()).digest()[:1]
            self.drawn += 1
        return out


def _new_events(monkeypatch, seed, stream_id, expected_version, new_events, head_hash):
    """What `event_store.append` sends and returns now (its database call replaced)."""
    sent = {}

    def database(conn, arguments):
        sent.update(arguments)
        return list(range(1000, 1000 + len(new_events)))

    monkeypatch.setattr(event_store, "_append", database)
    monkeypatch.setattr(event_store, "_urandom", _Randomness(seed))
    returned = event_store.append(None, stream_id, expected_version, new_events, head_hash=head_hash)
    return sent, returned


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.integers(min_value=0, max_value=2**31 - 10), st.lists(EVENTS, min_size=1, max_size=3), HEADS,
       st.integers())
def test_the_append_builds_its_events_as_before(stream_id, expected_version, new_events, head_hash, seed):
    with pytest.MonkeyPatch.context() as monkeypatch:
        sent, returned = _new_events(monkeypatch, seed, stream_id, expected_version, new_events, head_hash)
        drawn = _Randomness(seed)  # uuid.uuid4 reads os.urandom; new_salt (secrets) random's own alias of it
        monkeypatch.setattr(os, "urandom", drawn)
        monkeypatch.setattr(random, "_urandom", drawn)
        expected_arguments, expected_stored = reference_events(stream_id, expected_version, new_events, head_hash)
    # What the database reads: the same values (the JSON text differs only in key order, white
    # space and escapes, which a jsonb value does not keep).
    # Compared as canonical text, not as Python values, which take 1 and 1.0, 1 and true, 0.0 and
    # -0.0 for equal where jsonb does not.
    assert event_store.canonical(json.loads(sent.pop("events"))) \
        == event_store.canonical(json.loads(expected_arguments.pop("events")))
    assert sent == expected_arguments
    # What the caller gets back: the same events, field for field (the ids, salts, digests, hashes).
    assert returned == [StoredEvent(global_position=1000 + n, **fields) for n, fields in enumerate(expected_stored)]


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.integers(min_value=1, max_value=2**40), st.uuids(), TEXT, OBJECTS, TIMES, HEADS,
       st.integers(min_value=1, max_value=2**40))
def test_the_scheme_2_hash_is_hash_of(stream_id, version, event_id, event_type, metadata, at, prev_hash,
                                      class_version):
    recorded_at = at.astimezone(UTC).isoformat(timespec="microseconds")
    digest = hashlib.sha256(event_type.encode()).hexdigest()
    prev = prev_hash if isinstance(prev_hash, str) else None
    assert event_store._scheme_2_hash(str(stream_id), version, str(event_id), event_type,
                                      event_store.canonical(metadata), recorded_at, prev, class_version, digest) \
        == event_store._hash_of(str(stream_id), version, str(event_id), event_type, None, metadata, recorded_at,
                                prev, class_version, 2, digest)


def test_each_event_gets_its_own_id_and_salt():
    """The real random source: the id is a version-4 UUID as uuid.uuid4 makes, the salt 16 bytes as
    hex, none shared between events of one append."""
    sent = {}

    def database(conn, arguments):
        sent.update(arguments)
        return [1, 2, 3]

    original = event_store._append
    event_store._append = database
    try:
        events = [NewEvent("case_noted", 1, {"n": n}, {}, datetime.now(UTC)) for n in range(3)]
        stored = event_store.append(None, uuid.uuid4(), 0, events, head_hash=None)
    finally:
        event_store._append = original
    assert all(s.event_id.version == 4 and s.event_id.variant == uuid.RFC_4122 for s in stored)
    assert all(len(bytes.fromhex(s.data_salt or "")) == 16 for s in stored)
    assert len({s.event_id for s in stored}) == len({s.data_salt for s in stored}) == 3
    assert [e["event_id"] for e in json.loads(sent["events"])] == [str(s.event_id) for s in stored]
    assert all(event_store.data_digest(s.data, s.data_salt or "") == s.data_digest for s in stored)
