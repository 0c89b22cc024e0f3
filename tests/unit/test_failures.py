"""Where a failed message goes next: back-off steps, then the dead-letter queue."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import REGISTRY

from netra_common.bus.failures import ATTEMPT, REASON, route_failure, route_invalid
from netra_common.bus.settings import BusSettings

SETTINGS = BusSettings(prefix="p", retry_delays_ms=(100, 500, 2000))
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_the_first_failure_waits_in_the_first_retry_queue():
    route = route_failure(SETTINGS, "casework", "evidence_stored", {}, "OperationalError: gone", now=NOW)
    assert route.action == "retry"
    assert route.queue == "p.casework.evidence_stored.retry.100ms"
    assert route.headers[ATTEMPT] == 2
    assert route.headers["x-netra-last-error"] == "OperationalError: gone"


def test_each_failure_backs_off_further():
    queues = []
    headers = {}
    for _ in range(3):
        route = route_failure(SETTINGS, "s", "e", headers, "boom", now=NOW)
        queues.append(route.queue)
        headers = route.headers
    assert queues == ["p.s.e.retry.100ms", "p.s.e.retry.500ms", "p.s.e.retry.2000ms"]


def test_after_the_last_attempt_the_message_is_parked_with_its_reason():
    route = route_failure(SETTINGS, "s", "e", {ATTEMPT: 4}, "SMTPServerDisconnected: bye", now=NOW)
    assert route.action == "park"
    assert route.queue == "p.s.e.dead"
    assert route.headers[REASON] == "failed 4 attempts; last error: SMTPServerDisconnected: bye"
    assert route.headers["x-netra-parked-at"] == NOW.isoformat()
    assert route.headers["x-netra-origin-queue"] == "p.s.e"


def test_a_permanent_failure_is_parked_at_once():
    route = route_failure(SETTINGS, "s", "e", {}, "no such case", permanent=True, now=NOW)
    assert route.action == "park"
    assert route.headers[REASON] == "rejected: no such case"


def test_an_invalid_message_is_parked_at_once_and_says_so():
    route = route_invalid(SETTINGS, "s", "e", None, "envelope invalid: {'type': ['required']}")
    assert route.action == "park"
    assert route.headers[REASON].startswith("rejected: invalid message: envelope invalid")


def test_a_long_error_is_clipped():
    route = route_failure(SETTINGS, "s", "e", {}, "x" * 5000, now=NOW)
    assert len(route.headers["x-netra-last-error"]) == 1000


def test_a_garbled_attempt_header_counts_as_the_first_attempt():
    route = route_failure(SETTINGS, "s", "e", {ATTEMPT: "many"}, "boom", now=NOW)
    assert route.headers[ATTEMPT] == 2


def test_a_message_whose_retry_copy_cannot_be_published_is_given_back_after_a_pause(monkeypatch):
    """Not in a tight loop: the broker that refused the copy would refuse the next one too."""
    from netra_common.bus import consumer as consumer_module

    events = []

    class RefusingPublisher:
        def publish_to_queue(self, body, queue, headers):
            events.append("publish")
            raise ConnectionError("broker gone")

    class Queues:
        def requeue_message(self, message):
            events.append("requeue")

        def ack_message(self, message):
            events.append("ack")

    monkeypatch.setattr(consumer_module.eventlet, "sleep", lambda seconds: events.append(f"pause {seconds}"))
    entrypoint = object.__new__(consumer_module.EventConsumer)
    entrypoint.publisher, entrypoint.queue_consumer = RefusingPublisher(), Queues()
    route = route_failure(SETTINGS, "s", "e", {}, "boom", now=NOW)
    entrypoint._forward({"event_id": "e1"}, object(), route)
    assert events == ["publish", f"pause {consumer_module.FORWARD_FAILED_PAUSE_SECONDS}", "requeue"]


def test_the_original_is_acked_only_after_its_retry_copy_was_published():
    from netra_common.bus import consumer as consumer_module

    events = []

    class Publisher:
        def publish_to_queue(self, body, queue, headers):
            events.append(("publish", queue, headers[ATTEMPT]))

    class Queues:
        def ack_message(self, message):
            events.append(("ack",))

    entrypoint = object.__new__(consumer_module.EventConsumer)
    entrypoint.publisher, entrypoint.queue_consumer = Publisher(), Queues()
    entrypoint.service, entrypoint.event_type = "s", "e"
    counted = {"queue": "s.e", "outcome": "retried"}
    before = REGISTRY.get_sample_value("netra_bus_messages_total", counted) or 0
    entrypoint._forward({"event_id": "e1"}, object(), route_failure(SETTINGS, "s", "e", {}, "boom", now=NOW))
    assert events == [("publish", "p.s.e.retry.100ms", 2), ("ack",)]
    assert REGISTRY.get_sample_value("netra_bus_messages_total", counted) == before + 1, "counted for /metrics"
