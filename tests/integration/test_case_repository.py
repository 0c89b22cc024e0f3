"""The case repository on real PostgreSQL: random valid lives of a case, stored a unit of work at a
time, replay to exactly the live case; each event keeps its class version, events stored before
versions existed are version 1 and still verify; a class version is part of what verify-log checks."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, text

from netra_common.migrate import upgrade
from services.casework.adapters import event_store
from services.casework.adapters.case_repository import CaseRepository, UnreadableEvent
from services.casework.adapters.event_store import NewEvent
from services.casework.domain import events as ev
from services.casework.domain.case import Case, Recorded
from tests.support.case_sequences import START, Drawn, play


@pytest.fixture(scope="module")
def casework_store(tmp_path_factory):
    """casework's schema alone, in a database of its own (no services)."""
    settings_ = StackSettings.for_tests(tmp_path_factory.mktemp("case-store"))
    database.ensure_database(settings_.pg_url, settings_.database)
    yield settings_
    database.drop_database(settings_.pg_url, settings_.database)


@pytest.fixture(scope="module")
def engine(casework_store):
    upgrade("casework", casework_store.db_url)
    engine = create_engine(casework_store.db_url, pool_size=2, max_overflow=0)
    yield engine
    engine.dispose()


class InPostgres:
    """Each step is a unit of work: a transaction and a repository whose clock is the step's time."""

    def __init__(self, engine):
        self.engine = engine

    def save(self, case: Case, at: datetime) -> list[Recorded]:
        with self.engine.begin() as conn:
            return CaseRepository(conn, clock=lambda: at).save(case, {"correlation_id": str(uuid.uuid4())})

    def load(self, case_id: str) -> Case | None:
        with self.engine.connect() as conn:
            return CaseRepository(conn).get(uuid.UUID(case_id))


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_replaying_what_postgresql_stored_gives_exactly_the_live_case(engine, data):
    live = play(Drawn(data), InPostgres(engine), max_steps=25)
    with engine.connect() as conn:
        stored = event_store.load_stream(conn, uuid.UUID(live.case_id))
        assert [e.recorded_at for e in stored] == sorted(e.recorded_at for e in stored), "time never runs back"
        assert [p for p in event_store.verify_log(conn)[1] if p.stream_id == uuid.UUID(live.case_id)] == []


def opened_case() -> Case:
    return Case.open(str(uuid.uuid4()), ev.CaseOpened(
        case_number="NTR-2026-00099", source="team", complaint_id=None, opened_at=START.isoformat(),
        reported={"name": "Sari"}, platform="tiktok", post_urls=[], account_handle=None,
        occurred_at=START.isoformat(), violation_types=["share"], description="Mengunggah video kampanye.",
        reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False}), at=START)


def test_the_recorded_time_is_the_time_the_case_applied(engine):
    case = opened_case()
    with engine.begin() as conn:
        CaseRepository(conn, clock=lambda: START).save(case, {})
        stored = event_store.load_stream(conn, uuid.UUID(case.case_id))
    assert [(e.recorded_at, e.class_version, e.metadata["status"]) for e in stored] == [(START, 1, "opened")]


def test_a_later_class_version_is_hashed_and_an_unknown_one_is_refused_by_name(engine):
    stream = uuid.uuid4()
    data = ev.CaseClosed(note="Selesai.").to_data()
    with engine.begin() as conn:
        [written] = event_store.append(conn, stream, 0, [NewEvent("case_closed", 2, data, {}, START)])
    with engine.connect() as conn:
        assert not [p for p in event_store.verify_log(conn)[1] if p.stream_id == stream]
        with pytest.raises(UnreadableEvent) as refused:
            CaseRepository(conn).get(stream)
    assert str(written.event_id) in str(refused.value) and "only up to version 1" in str(refused.value)
    with engine.begin() as conn:  # someone turns the version back by hand
        conn.execute(text("UPDATE casework.events SET class_version = 1 WHERE event_id = :e"),
                     {"e": written.event_id})
    with engine.connect() as conn:
        problems = [str(p) for p in event_store.verify_log(conn)[1] if p.stream_id == stream]
    assert problems == [f"stream {stream} version 1 (event {written.event_id}): content changed"]


def verify_log(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.casework.admin", "verify-log"],
                          env={**os.environ, "NETRA_DB_URL": url}, capture_output=True, text=True, timeout=300)


def test_verify_log_names_an_event_its_class_cannot_read(engine, casework_store):
    """Written around the code (a key renamed by hand, the hash made to match): the chain holds, but
    a reader would stop there, so verify-log names it."""
    stream = uuid.uuid4()
    data = {"assignee_id": "a1", "assignee": "Anggota", "actor": {"id": "k1", "role": "ketua"}}
    with engine.begin() as conn:
        [written] = event_store.append(conn, stream, 0, [NewEvent("case_assigned", 1, data, {}, START)])
    found = verify_log(casework_store.db_url)
    assert found.returncode == 1
    assert f"PROBLEM stream {stream} version 1 (event {written.event_id}): does not fit its class: case_assigned " \
           "v1: case_assigned stored as version 1 does not fit version 1 of its class (keys its class does not " \
           "have: assignee; keys missing: assignee_name)" in found.stdout.splitlines()


def test_events_stored_before_class_versions_are_version_1_and_still_verify(casework_store, tmp_path):
    """casework_0009 on a log written by the code before it."""
    name = f"netra_v8_{uuid.uuid4().hex[:8]}"
    database.ensure_database(casework_store.pg_url, name)
    url = casework_store.db_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade("casework", url, "casework_0008")
        old = create_engine(url)
        case = opened_case()
        stream, data = uuid.UUID(case.case_id), case.new_events[0].to_data()
        fields = {"stream_id": stream, "version": 1, "event_id": uuid.uuid4(), "event_type": "case_opened",
                  "data": data, "metadata": {"status": "opened"}, "recorded_at": START, "prev_hash": None}
        own = event_store.event_hash(**fields)  # the formula before versions (a unit test holds it to that)
        chain = event_store.log_hash(None, own)
        with old.begin() as conn:  # as 0008's append wrote it: no class_version column
            conn.execute(text(
                "INSERT INTO casework.events (stream_id, version, event_id, event_type, data, metadata, recorded_at, "
                "prev_hash, hash, log_hash) VALUES (:stream_id, :version, :event_id, :event_type, "
                "CAST(:data AS jsonb), CAST(:metadata AS jsonb), :recorded_at, :prev_hash, :hash, :log_hash)"),
                {**fields, "data": event_store.canonical(data), "metadata": event_store.canonical(fields["metadata"]),
                 "hash": own, "log_hash": chain})
            conn.execute(text("INSERT INTO casework.streams VALUES (:s, 1, :h)"), {"s": stream, "h": own})
            conn.execute(text("INSERT INTO casework.log_head VALUES (1, 1, :c)"), {"c": chain})
        old.dispose()
        upgrade("casework", url)
        new = create_engine(url)
        with new.connect() as conn:
            assert conn.execute(text("SELECT class_version FROM casework.events")).scalar_one() == 1
            assert event_store.verify_log(conn) == (1, [])
            read = CaseRepository(conn).get(stream)
        new.dispose()
        assert read is not None and read.facts == case.facts and read.opened_at == START
    finally:
        database.drop_database(casework_store.pg_url, name)
