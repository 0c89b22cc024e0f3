"""Nothing accepted is lost and nothing is done twice: the relay, redelivery, failing
handlers and malformed messages, staged on the running system."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from kombu import Connection
from sqlalchemy import text

from netra_common.bus import deadletters
from tests.support import complaints, events
from tests.support.casework import complaint_id_of
from tests.support.proxy import TcpProxy
from tests.support.waiting import eventually, stays


def cases_for_complaint(stack_db, complaint_id) -> int:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM casework.events WHERE event_type = 'case_opened' "
                                 "AND data->>'complaint_id' = :c"), {"c": str(complaint_id)}).scalar_one()


def unsent_in_intake_outbox(stack_db, complaint_id) -> int:
    with stack_db.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM intake.outbox WHERE sent_at IS NULL "
                                 "AND message->'payload'->>'complaint_id' = :c"),
                            {"c": str(complaint_id)}).scalar_one()


@pytest.fixture
def restore_intake(stack):
    yield
    stack.restart_service("intake")


@pytest.fixture
def broker_link(stack, restore_intake):
    """intake restarted to reach RabbitMQ through a proxy the test controls."""
    broker = Connection(stack.settings.amqp_uri)
    proxy = TcpProxy(broker.port or 5672, broker.hostname)
    try:
        proxied_uri = stack.settings.amqp_uri.replace(f"{broker.hostname}:{broker.port or 5672}", proxy.endpoint)
        stack.restart_service("intake", {"NETRA_AMQP_URI": proxied_uri})
        yield proxy
    finally:
        proxy.close()


def test_an_event_committed_while_the_relay_is_down_arrives_once(stack, stack_db, restore_intake):
    intake = stack.settings.url("intake")
    stack.restart_service("intake", {"NETRA_OUTBOX_RELAY": "off"})

    filed = complaints.file(intake, complaints.complaint(), [])
    assert filed.status_code == 201, filed.text
    complaint_id = complaint_id_of(stack_db, filed.json()["tracking_code"])
    # Committed with its event, which has not left: nothing downstream knows of it.
    assert unsent_in_intake_outbox(stack_db, complaint_id) == 1
    stays(lambda: cases_for_complaint(stack_db, complaint_id) == 0, duration=1.5)

    # The relay comes back (a restart, as after a crash) and the event goes out, once.
    stack.kill_service("intake")
    stack.start_service("intake")
    stack.wait_healthy("intake")
    eventually(lambda: cases_for_complaint(stack_db, complaint_id) == 1, message="the case")
    assert unsent_in_intake_outbox(stack_db, complaint_id) == 0
    stays(lambda: cases_for_complaint(stack_db, complaint_id) == 1, duration=1.5)


def test_an_event_committed_while_rabbitmq_is_cut_off_arrives_once(stack, stack_db, broker_link):
    intake = stack.settings.url("intake")
    broker_link.cut()

    filed = complaints.file(intake, complaints.complaint(), [])
    assert filed.status_code == 201, filed.text
    complaint_id = complaint_id_of(stack_db, filed.json()["tracking_code"])
    stays(lambda: unsent_in_intake_outbox(stack_db, complaint_id) == 1, duration=2.0)
    assert cases_for_complaint(stack_db, complaint_id) == 0

    broker_link.restore()
    eventually(lambda: cases_for_complaint(stack_db, complaint_id) == 1, timeout=40,
               message="the case after the broker came back")
    eventually(lambda: unsent_in_intake_outbox(stack_db, complaint_id) == 0,
               message="the outbox row marked sent")
    stays(lambda: cases_for_complaint(stack_db, complaint_id) == 1, duration=1.5)


def test_a_relay_stuck_on_a_silent_broker_link_gives_up_and_delivers_on_a_new_one(stack, stack_db, broker_link):
    """The link takes the bytes and never answers (no reset, no close): the publish times out."""
    intake = stack.settings.url("intake")
    # One complaint through first, so the relay holds an open connection to the broker.
    first = complaints.file(intake, complaints.complaint(), []).json()
    eventually(lambda: cases_for_complaint(stack_db, complaint_id_of(stack_db, first["tracking_code"])) == 1,
               message="the first case")
    broker_link.swallow()
    filed = complaints.file(intake, complaints.complaint(), [])
    assert filed.status_code == 201, filed.text
    complaint_id = complaint_id_of(stack_db, filed.json()["tracking_code"])
    stays(lambda: cases_for_complaint(stack_db, complaint_id) == 0, duration=2.0)

    broker_link.let_new_through()  # the stuck connection stays open and silent
    eventually(lambda: cases_for_complaint(stack_db, complaint_id) == 1, timeout=60,
               message="the case once the relay gave up on the silent link")
    eventually(lambda: unsent_in_intake_outbox(stack_db, complaint_id) == 0, message="marked sent")


def test_intake_outlives_a_flapping_broker_link_and_every_complaint_becomes_one_case(stack, stack_db,
                                                                                    broker_link):
    """10 cycles of 2 s up and 1 s down under intake's relay and consumers: it stays up, answers
    every filing, and each complaint becomes exactly one case."""
    intake = stack.settings.url("intake")

    def flap():
        for _ in range(10):
            time.sleep(2)
            broker_link.cut()
            time.sleep(1)
            broker_link.restore()

    flapping = threading.Thread(target=flap)
    flapping.start()
    filed = []
    while flapping.is_alive():
        answer = complaints.file(intake, complaints.complaint(), [])
        assert answer.status_code == 201, answer.text
        filed.append(complaint_id_of(stack_db, answer.json()["tracking_code"]))
        time.sleep(0.3)
    flapping.join()

    assert len(filed) >= 20
    eventually(lambda: all(cases_for_complaint(stack_db, c) == 1 for c in filed), timeout=90,
               message="one case for every complaint")
    stays(lambda: all(cases_for_complaint(stack_db, c) == 1 for c in filed), duration=2.0)
    assert stack.services["intake"].alive
    assert requests.get(f"{intake}/healthz", timeout=5).status_code == 200


def test_the_same_event_delivered_twice_has_one_effect(stack, stack_db, bus_publisher):
    message = events.complaint_submitted()
    complaint_id = message["payload"]["complaint_id"]
    for _ in range(3):
        bus_publisher.publish_event(message)
    eventually(lambda: cases_for_complaint(stack_db, complaint_id) == 1, message="the case")
    stays(lambda: cases_for_complaint(stack_db, complaint_id) == 1, duration=1.5)
    with stack_db.connect() as conn:
        processed = conn.execute(text("SELECT count(*) FROM casework.processed_messages "
                                      "WHERE event_id = :e"), {"e": message["event_id"]}).scalar_one()
    assert processed == 1


def _parked(stack, service, event_type, predicate):
    return [d for d in deadletters.list_dead(stack.bus, service, event_type) if predicate(d)]


def test_a_malformed_message_is_parked_with_the_reason(stack, stack_db, bus_publisher):
    message = events.complaint_submitted()
    del message["payload"]["reported"]
    message["payload"]["violation_types"] = "share"
    bus_publisher.publish_event(message)

    parked = eventually(lambda: _parked(stack, "casework", "complaint_submitted",
                                        lambda d: d.event_id == message["event_id"]),
                        message="the malformed message in casework's dead-letter queue")
    assert "reported" in parked[0].reason and "violation_types" in parked[0].reason
    assert parked[0].body == message
    assert cases_for_complaint(stack_db, message["payload"]["complaint_id"]) == 0


def test_a_body_that_is_not_json_is_parked(stack):
    with Connection(stack.settings.amqp_uri) as connection:
        producer = connection.Producer()
        producer.publish(b"\x00not json{", exchange=stack.bus.events_exchange,
                         routing_key="complaint_submitted", content_type="application/json",
                         content_encoding="binary", headers={"x-test": "garbage"})
    parked = eventually(lambda: _parked(stack, "casework", "complaint_submitted",
                                        lambda d: "cannot be decoded" in d.reason),
                        message="the undecodable message parked")
    assert "not json" in parked[0].body["undecodable_body"]
