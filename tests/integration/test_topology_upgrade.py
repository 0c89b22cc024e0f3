"""Retry queues moved from quorum to classic queues (a quorum queue holds file handles a
single node runs short of). `netra-bus declare` on a broker an older version declared
replaces an empty old retry queue, and leaves one that still holds messages alone."""

from __future__ import annotations

import uuid

import pytest
from kombu import Connection, Queue

from netra_common.bus import topology
from netra_common.bus.settings import BusSettings

ONE = {"probe": ("complaint_submitted",)}


@pytest.fixture
def bus(stack):
    settings = BusSettings(stack.settings.amqp_uri, f"netra-test-upgrade-{uuid.uuid4().hex[:8]}", (1000,))
    yield settings
    topology.delete(settings, ONE)


def old_retry_queue(settings: BusSettings, holding: int) -> Queue:
    name = settings.retry_queue("probe", "complaint_submitted", 1000)
    old = Queue(name, durable=True, queue_arguments={**topology.QUORUM, "x-message-ttl": 3_600_000})
    # With publisher confirms each message is in the queue when publish returns: without them the
    # queue could still count one message fewer when the test declares (seen once under load).
    with Connection(settings.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        old(connection.channel()).declare()
        producer = connection.Producer()
        for n in range(holding):
            producer.publish({"n": n}, exchange="", routing_key=name, delivery_mode=2)
    return old


def is_classic(settings: BusSettings, name: str) -> bool:
    """Declaring it as a classic queue again is refused unless it is one."""
    (queue,) = [q for q in topology.all_queues(settings, ONE) if q.name == name]
    with Connection(settings.amqp_uri) as connection:
        queue(connection.channel()).declare()
    return queue.queue_arguments["x-queue-type"] == "classic"


def test_an_empty_old_retry_queue_is_replaced_by_a_classic_one(bus):
    old = old_retry_queue(bus, holding=0)
    assert old.name in topology.declare(bus, ONE)
    assert is_classic(bus, old.name)


def test_an_old_retry_queue_still_holding_messages_is_left_alone_and_named(bus):
    old = old_retry_queue(bus, holding=2)
    with pytest.raises(RuntimeError, match=f"{old.name}.*2 message"):
        topology.declare(bus, ONE)
    with Connection(bus.amqp_uri) as connection:
        _, waiting, _ = connection.channel().queue_declare(queue=old.name, passive=True)
    assert waiting == 2
