"""Two replicas of a service share one database: their outbox relays and their timers must share
the work without doing any of it twice or stalling (issue 17, item 3; docs/decisions/0028).

Each "replica" here is a PostgreSQL session of its own (its own engine, or its own process), as
two service processes are; the cluster drill (tests/cluster) shows the same with real replicas."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psycopg2
import pytest
from sqlalchemy import create_engine, select, text

from netra_common.background import alone, lock_key
from netra_common.db import UnitOfWork
from netra_common.outbox import PostgresOutboxStore, Relay
from tests.integration.conftest import create_probe_tables
from tests.support import events
from tests.support.probe_tables import messaging
from tests.support.waiting import eventually


@pytest.fixture
def probe_schema(stack_db):
    """The probe schema's tables (its outbox), without a probe process: nothing here publishes."""
    create_probe_tables(stack_db)


@pytest.fixture
def outbox(stack_db, probe_schema):
    with stack_db.begin() as conn:
        conn.execute(messaging.outbox.delete())
    return messaging.outbox


@pytest.fixture
def replicas(stack):
    """Two engines on the stack's database: two replicas' pools."""
    engines = [create_engine(stack.settings.db_url, pool_size=2, max_overflow=0) for _ in range(2)]
    yield engines
    for engine in engines:
        engine.dispose()


class Recording:
    """A publisher that notes what it was given, in the order every replica gave it."""

    def __init__(self, shared: list, lock: threading.Lock):
        self.shared, self.lock = shared, lock

    def publish_event(self, message: dict) -> None:
        time.sleep(0.002)  # a broker's confirm takes a moment: batches of two relays would overlap
        with self.lock:
            self.shared.append(message["event_id"])


def emit(engine, count: int) -> list[str]:
    ids = []
    with UnitOfWork(engine, messaging, producer="probe", consumer="probe.test") as uow:
        for _ in range(count):
            ids.append(str(uow.emit("complaint_submitted", events.complaint_submitted()["payload"]).event_id))
    return ids


def test_two_relays_publish_every_row_once_in_position_order(stack_db, outbox, replicas):
    emitted = emit(stack_db, 240)
    published, lock, errors = [], threading.Lock(), []
    relays = [Relay(PostgresOutboxStore(engine, messaging), Recording(published, lock), batch_size=40)
              for engine in replicas]

    def work(relay):
        try:
            idle_since = None
            while idle_since is None or time.monotonic() - idle_since < 0.5:
                if relay.relay_once():
                    idle_since = None
                elif idle_since is None:
                    idle_since = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(relay,)) for relay in relays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(published) == sorted(emitted), "every row published, none twice"
    assert published == emitted, "one relay at a time: the rows leave in position order"
    with stack_db.connect() as conn:
        assert conn.execute(select(outbox).where(outbox.c.sent_at.is_(None))).first() is None


def test_a_relay_that_died_holding_the_outbox_leaves_it_to_the_other(stack, stack_db, outbox, replicas):
    emitted = emit(stack_db, 5)
    published: list = []
    other = Relay(PostgresOutboxStore(replicas[1], messaging), Recording(published, threading.Lock()))
    # A replica in the middle of a pass: its transaction holds the outbox's lock.
    dying = psycopg2.connect(replicas[0].url.render_as_string(hide_password=False)
                             .replace("postgresql+psycopg2", "postgresql"))
    with dying.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)",
                    (lock_key(f"netra.outbox.{outbox.schema}.{outbox.name}"),))
        assert cur.fetchone()[0]
    assert other.relay_once() == 0 and published == []  # it waits its turn, never blocks
    dying.close()  # the process died: its connection, transaction and lock go once the server sees it
    sent, deadline = 0, time.monotonic() + 10
    while sent < 5 and time.monotonic() < deadline:
        sent += other.relay_once()
        time.sleep(0.05)
    assert sent == 5 and published == emitted


def test_a_timer_runs_in_one_replica_at_a_time(replicas):
    ran, barrier = [], threading.Barrier(2)

    def tick(engine, name):
        barrier.wait()
        with alone(engine, "test.two-replicas.timer") as mine:
            if mine:
                ran.append(name)
                time.sleep(0.5)

    threads = [threading.Thread(target=tick, args=(engine, f"replica-{n}")) for n, engine in enumerate(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(ran) == 1
    with alone(replicas[0], "test.two-replicas.timer") as mine:  # released after the turn
        assert mine


TIMER_PROCESS = """
import sys, time
from sqlalchemy import create_engine, text
from netra_common.background import alone
engine = create_engine(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    with alone(engine, "test.two-replicas.processes") as mine:
        if mine:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO probe.timer_turns (who, started) VALUES (:w, clock_timestamp())"),
                             {"w": sys.argv[3]})
            time.sleep(0.05)
            with engine.begin() as conn:
                conn.execute(text("UPDATE probe.timer_turns SET ended = clock_timestamp() "
                                  "WHERE who = :w AND ended IS NULL"), {"w": sys.argv[3]})
    time.sleep(0.05)
"""


def test_two_replica_processes_never_run_a_timer_together_and_a_killed_one_stalls_nothing(stack, stack_db,
                                                                                        probe_schema):
    with stack_db.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS probe.timer_turns"))
        conn.execute(text("CREATE TABLE probe.timer_turns (who text, started timestamptz, ended timestamptz)"))
    url = stack.settings.db_url
    first, second = [subprocess.Popen([sys.executable, "-c", TIMER_PROCESS, url, "60", who]) for who in ("a", "b")]

    def both_had_turns() -> bool:
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT count(DISTINCT who) FROM probe.timer_turns "
                                     "WHERE ended IS NOT NULL")).scalar() == 2

    try:
        eventually(both_had_turns, timeout=15, message="both replicas taking turns")
        first.kill()  # SIGKILL, perhaps in its turn: the lock goes with its connection
        first.wait()
        with stack_db.connect() as conn:
            killed_at = conn.execute(text("SELECT clock_timestamp()")).scalar()

        def survivor_went_on() -> bool:
            with stack_db.connect() as conn:
                return bool(conn.execute(text("SELECT count(*) FROM probe.timer_turns WHERE who = 'b' AND "
                                              "started > :k AND ended IS NOT NULL"), {"k": killed_at}).scalar())

        eventually(survivor_went_on, timeout=10, message="the survivor taking its turns alone")
    finally:
        for process in (first, second):
            process.kill()
            process.wait()
    with stack_db.connect() as conn:
        turns = conn.execute(text("SELECT who, started, ended FROM probe.timer_turns ORDER BY started")).all()
    done = [t for t in turns if t.ended is not None]
    assert {t.who for t in done} == {"a", "b"}, "both replicas had turns"
    assert all(later.started >= earlier.ended for earlier, later in zip(done, done[1:], strict=False)), \
        "no two turns overlapped"
