"""The retrying, idempotent consumer (`@on_event`) in a real nameko process on real RabbitMQ."""

from __future__ import annotations

import time

from kombu import Connection

from netra_common.bus import deadletters
from netra_common.bus.failures import ATTEMPT
from tests.integration.conftest import PROBE_SUBSCRIPTIONS
from tests.support import events
from tests.support.probe_tables import FAIL_AFTER_COMMIT_MARKER, FAIL_MARKER
from tests.support.waiting import eventually, stays


def parked_for(stack, event_id):
    return [d for d in deadletters.list_dead(stack.bus, "probe", "complaint_submitted",
                                             subscriptions=PROBE_SUBSCRIPTIONS)
            if d.event_id == event_id]


def test_duplicates_delivered_at_once_have_one_effect(stack, probe, bus_publisher):
    message = events.complaint_submitted()
    # Five copies straight into the probe's queue, so its workers take them concurrently.
    for _ in range(5):
        bus_publisher.publish_to_queue(message, stack.bus.queue("probe", "complaint_submitted"), {})
    eventually(lambda: probe.effects(message["event_id"]) == 1, message="the effect")
    stays(lambda: probe.effects(message["event_id"]) == 1, duration=1.0)


def test_a_raising_handler_is_retried_with_back_off_then_parked(stack, probe, bus_publisher):
    message = events.complaint_submitted(description=f"{FAIL_MARKER} selalu gagal")
    started = time.monotonic()
    bus_publisher.publish_event(message)
    parked = eventually(lambda: parked_for(stack, message["event_id"]), timeout=30,
                        message="the message in the dead-letter queue")
    elapsed = time.monotonic() - started
    # Every back-off step was waited out before the message was parked.
    assert elapsed >= sum(stack.bus.retry_delays_ms) / 1000
    assert parked[0].attempts == stack.bus.max_attempts
    assert "RuntimeError: probe told to fail" in parked[0].reason
    assert parked[0].body == message
    assert probe.effects(message["event_id"]) == 0


def test_retry_copies_count_their_attempts(stack, probe, bus_publisher):
    """Between attempts the message waits in a retry queue carrying its attempt number."""
    message = events.complaint_submitted(description=f"{FAIL_MARKER} untuk dihitung")
    first_retry = stack.bus.retry_queue("probe", "complaint_submitted", stack.bus.retry_delays_ms[0])
    # Hold the message back at its first retry by consuming the retry queue ourselves.
    with Connection(stack.settings.amqp_uri) as connection:
        channel = connection.channel()
        bus_publisher.publish_event(message)

        def take():
            got = channel.basic_get(queue=first_retry, no_ack=False)
            return got

        got = eventually(take, timeout=10, message="the copy in the first retry queue")
        assert got.headers[ATTEMPT] == 2
        assert "probe told to fail" in got.headers["x-netra-last-error"]
        channel.basic_reject(got.delivery_tag, requeue=True)
    eventually(lambda: parked_for(stack, message["event_id"]), timeout=30, message="parked")


def test_messages_that_break_the_contract_are_parked_and_never_handled(stack, probe, bus_publisher):
    missing_field = events.complaint_submitted()
    del missing_field["payload"]["description"]
    unknown_version = events.complaint_submitted()
    unknown_version["schema_version"] = 99
    no_envelope = {"hello": "world", "event_id": "not-a-uuid"}
    queue = stack.bus.queue("probe", "complaint_submitted")
    for message in (missing_field, unknown_version, no_envelope):
        bus_publisher.publish_to_queue(message, queue, {})

    wanted = {missing_field["event_id"], unknown_version["event_id"], "not-a-uuid"}

    def parked_reasons():
        found = {d.event_id: d.reason for d in deadletters.list_dead(
            stack.bus, "probe", "complaint_submitted", subscriptions=PROBE_SUBSCRIPTIONS)
            if d.event_id in wanted}
        return found if set(found) == wanted else None

    reasons = eventually(parked_reasons, message="all three parked")
    assert "description" in reasons[missing_field["event_id"]]
    assert "v99" in reasons[unknown_version["event_id"]]
    assert "envelope invalid" in reasons["not-a-uuid"]
    assert probe.effects(missing_field["event_id"]) == 0


def test_a_message_whose_effect_committed_is_acknowledged_never_parked_though_its_handler_fails(
        stack, probe, bus_publisher):
    """The handler commits its effect and then fails, attempt after attempt: after the last one
    the processed-message row says it is done, so the message is acked instead of parked."""
    message = events.complaint_submitted(description=f"{FAIL_AFTER_COMMIT_MARKER} lalu gagal")
    bus_publisher.publish_event(message)
    eventually(lambda: probe.effects(message["event_id"]) == 1, message="the committed effect")
    budget = sum(stack.bus.retry_delays_ms) / 1000
    eventually(lambda: f"bus.already_processed event_id={message['event_id']}" in
               probe.process.log_path.read_text(errors="replace"), timeout=budget + 30,
               message="the last attempt acked as already processed")
    assert not parked_for(stack, message["event_id"])
    assert probe.effects(message["event_id"]) == 1
