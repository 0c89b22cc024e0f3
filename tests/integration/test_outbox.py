"""The unit of work and the outbox against real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import threading
import uuid

import pytest
from kombu import Connection, Exchange
from sqlalchemy import insert, select, text

from netra_common.bus.publisher import ConfirmedPublisher
from netra_common.bus.settings import BusSettings
from netra_common.contracts import parse_envelope
from netra_common.db import UnitOfWork
from netra_common.outbox import PostgresOutboxStore, PublishStalled, Relay
from tests.support import events
from tests.support.probe_tables import effects, messaging
from tests.support.waiting import eventually


@pytest.fixture
def outbox(stack_db, probe):
    """The probe schema's outbox, emptied of anything earlier tests left unsent."""
    with stack_db.begin() as conn:
        conn.execute(messaging.outbox.delete())
    return messaging.outbox


def unit_of_work(engine, cause=None):
    return UnitOfWork(engine, messaging, producer="probe", consumer="probe.test", cause=cause)


def rejection_payload():
    return {"complaint_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4()),
            "reason_code": "not_an_image", "rejected_at": "2026-11-24T10:00:00+00:00"}


def test_the_state_change_and_its_event_commit_together(stack_db, outbox):
    marker = uuid.uuid4()
    with unit_of_work(stack_db) as uow:
        uow.execute(insert(effects).values(event_id=marker, description="state change"))
        envelope = uow.emit("evidence_rejected", rejection_payload())
    with stack_db.connect() as conn:
        assert conn.execute(select(effects).where(effects.c.event_id == marker)).first()
        row = conn.execute(select(outbox).where(outbox.c.event_id == envelope.event_id)).one()
    assert row.sent_at is None
    assert parse_envelope(row.message).event_id == envelope.event_id


def test_a_unit_of_work_that_fails_leaves_neither_state_nor_event(stack_db, outbox):
    marker = uuid.uuid4()
    with pytest.raises(RuntimeError):
        with unit_of_work(stack_db) as uow:
            uow.execute(insert(effects).values(event_id=marker, description="half done"))
            uow.emit("evidence_rejected", rejection_payload())
            raise RuntimeError("crash before commit")
    with stack_db.connect() as conn:
        assert conn.execute(select(effects).where(effects.c.event_id == marker)).first() is None
        assert conn.execute(select(outbox)).first() is None


def test_the_relay_publishes_with_confirms_and_only_then_marks_sent(stack, stack_db, outbox):
    message = events.complaint_submitted()
    with unit_of_work(stack_db) as uow:
        envelope = uow.emit("complaint_submitted", message["payload"])
    relay = Relay(PostgresOutboxStore(stack_db, messaging), ConfirmedPublisher(stack.bus))
    assert relay.relay_once() == 1
    with stack_db.connect() as conn:
        assert conn.execute(select(outbox.c.sent_at)
                            .where(outbox.c.event_id == envelope.event_id)).scalar() is not None

    def case_opened():
        with stack_db.connect() as conn:
            return conn.execute(text("SELECT 1 FROM casework.events WHERE data->>'complaint_id' = :c"),
                                {"c": message["payload"]["complaint_id"]}).first()

    eventually(case_opened, message="casework, a real consumer, to open the case")


def test_an_event_no_queue_would_receive_stays_in_the_outbox(stack, stack_db, outbox):
    lonely = BusSettings(stack.settings.amqp_uri, f"{stack.bus.prefix}-unbound")
    with Connection(lonely.amqp_uri) as connection:
        Exchange(lonely.events_exchange, type="topic", durable=True)(connection.channel()).declare()
    try:
        with unit_of_work(stack_db) as uow:
            envelope = uow.emit("evidence_rejected", rejection_payload())
        relay = Relay(PostgresOutboxStore(stack_db, messaging), ConfirmedPublisher(lonely))
        with pytest.raises(PublishStalled, match="UndeliverableMessage"):
            relay.relay_once()
        with stack_db.connect() as conn:
            row = conn.execute(select(outbox).where(outbox.c.event_id == envelope.event_id)).one()
        assert row.sent_at is None and row.attempts == 1
    finally:
        with Connection(lonely.amqp_uri) as connection:
            Exchange(lonely.events_exchange)(connection.channel()).delete()


def test_of_two_concurrent_deliveries_exactly_one_is_the_first(stack_db, probe):
    cause = parse_envelope(events.complaint_submitted())
    results, barrier = [], threading.Barrier(4)

    def deliver():
        barrier.wait()
        with unit_of_work(stack_db, cause) as uow:
            results.append(uow.first_delivery())

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
