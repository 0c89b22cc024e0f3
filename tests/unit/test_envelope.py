"""The envelope every event travels in, and the contract check consumers rely on."""

from __future__ import annotations

import uuid

import pytest

from netra_common.contracts import InvalidMessage, new_envelope, parse_envelope
from tests.support import events


def test_a_new_envelope_carries_every_field_design_names():
    message = events.complaint_submitted()
    assert set(message) == {"event_id", "type", "schema_version", "occurred_at", "producer",
                            "correlation_id", "causation_id", "payload"}
    assert message["occurred_at"].endswith("+00:00")
    uuid.UUID(message["event_id"])


def test_a_root_event_is_its_own_correlation():
    envelope = new_envelope("evidence_rejected", {
        "complaint_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4()),
        "reason_code": "not_an_image", "rejected_at": "2026-11-24T10:00:00+00:00"}, producer="t")
    assert envelope.correlation_id == envelope.event_id
    assert envelope.causation_id is None


def test_a_producer_cannot_emit_a_payload_that_breaks_its_contract():
    with pytest.raises(InvalidMessage, match="reason_code"):
        new_envelope("evidence_rejected", {"complaint_id": str(uuid.uuid4()),
                                           "upload_id": str(uuid.uuid4()),
                                           "rejected_at": "2026-11-24T10:00:00+00:00"},
                     producer="t")


def test_a_producer_cannot_add_fields_its_contract_does_not_know():
    payload = {"complaint_id": str(uuid.uuid4()), "upload_id": str(uuid.uuid4()),
               "reason_code": "x", "rejected_at": "2026-11-24T10:00:00+00:00", "reporter_name": "A"}
    with pytest.raises(InvalidMessage, match="reporter_name"):
        new_envelope("evidence_rejected", payload, producer="t")


def test_a_valid_message_parses_back_to_the_same_envelope():
    message = events.complaint_submitted()
    envelope = parse_envelope(message)
    assert str(envelope.event_id) == message["event_id"]
    assert envelope.payload == message["payload"]
    assert envelope.to_message() == message


def test_a_consumer_tolerates_a_field_added_by_a_newer_producer():
    message = events.complaint_submitted()
    message["payload"]["added_later"] = "ok"
    assert parse_envelope(message).payload["added_later"] == "ok"


@pytest.mark.parametrize("breakage, reason", [
    (lambda m: m.pop("event_id"), "event_id"),
    (lambda m: m.update(event_id="42"), "event_id"),
    (lambda m: m.update(type="Complaint Submitted"), "type"),
    (lambda m: m.update(schema_version="1"), "schema_version"),
    (lambda m: m.update(occurred_at="2026-11-24T10:00:00"), "occurred_at"),
    (lambda m: m.update(extra=True), "extra"),
    (lambda m: m.update(type="no_such_event"), "no contract for event no_such_event"),
    (lambda m: m.update(schema_version=7), "v7"),
    (lambda m: m["payload"].pop("complaint_id"), "complaint_id"),
    (lambda m: m["payload"].update(violation_types=[]), "violation_types"),
])
def test_a_message_that_breaks_its_contract_is_refused_with_the_reason(breakage, reason):
    message = events.complaint_submitted()
    breakage(message)
    with pytest.raises(InvalidMessage) as refused:
        parse_envelope(message)
    assert reason in refused.value.reason


@pytest.mark.parametrize("body", [None, [], "text", 42])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(InvalidMessage, match="expected a JSON object"):
        parse_envelope(body)
