"""The outbox relay's rules, with an in-memory store and a publisher that can fail."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from netra_common.outbox import Batch, PendingEvent, PublishStalled, Relay


class MemoryOutbox:
    """Rows in position order; marks sent only what the batch reports sent (as PostgreSQL does)."""

    def __init__(self, count: int):
        self.rows = {i: {"message": {"n": i}, "sent": False, "attempts": 0, "error": None}
                     for i in range(1, count + 1)}

    @contextmanager
    def pending(self, limit: int):
        unsent = [PendingEvent(p, p, r["message"]) for p, r in sorted(self.rows.items())
                  if not r["sent"]][:limit]
        batch = Batch(unsent)
        yield batch
        for position in batch.sent:
            self.rows[position]["sent"] = True
        if batch.failure:
            self.rows[batch.failure[0]]["attempts"] += 1
            self.rows[batch.failure[0]]["error"] = batch.failure[1]

    def unsent(self):
        return [p for p, r in sorted(self.rows.items()) if not r["sent"]]


class FlakyPublisher:
    def __init__(self, fail_on: set[int] = frozenset()):
        self.fail_on = set(fail_on)
        self.published: list[int] = []

    def publish_event(self, message):
        if message["n"] in self.fail_on:
            raise ConnectionError("broker unreachable")
        self.published.append(message["n"])


def test_events_are_published_in_order_and_then_marked_sent():
    store, publisher = MemoryOutbox(5), FlakyPublisher()
    assert Relay(store, publisher).relay_once() == 5
    assert publisher.published == [1, 2, 3, 4, 5]
    assert store.unsent() == []


def test_a_batch_is_no_larger_than_the_batch_size():
    store, publisher = MemoryOutbox(7), FlakyPublisher()
    relay = Relay(store, publisher, batch_size=3)
    assert relay.relay_once() == 3
    assert store.unsent() == [4, 5, 6, 7]


def test_a_failed_publish_stops_the_batch_and_keeps_the_rest_for_later():
    store, publisher = MemoryOutbox(5), FlakyPublisher(fail_on={3})
    with pytest.raises(PublishStalled, match="broker unreachable"):
        Relay(store, publisher).relay_once()
    assert publisher.published == [1, 2]
    assert store.unsent() == [3, 4, 5]
    assert store.rows[3]["attempts"] == 1
    assert "ConnectionError" in store.rows[3]["error"]


def test_after_the_broker_returns_nothing_is_lost_and_nothing_sent_twice():
    store, publisher = MemoryOutbox(5), FlakyPublisher(fail_on={2})
    relay = Relay(store, publisher)
    for _ in range(3):
        with pytest.raises(PublishStalled):
            relay.relay_once()
    publisher.fail_on.clear()
    assert relay.relay_once() == 4
    assert publisher.published == [1, 2, 3, 4, 5]
    assert store.unsent() == []


def test_an_empty_outbox_publishes_nothing():
    store, publisher = MemoryOutbox(0), FlakyPublisher()
    assert Relay(store, publisher).relay_once() == 0
    assert publisher.published == []
