"""What intake records of the other services' events (usecases/progress.py) against an in-memory
store (tests/support/fake_intake.py): once per event, only for complaints intake holds, the
screenshot's outcome as evidence decided it. The same on the real stack:
tests/e2e/test_complaint_journey.py and test_clarification.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from netra_common.contracts import parse_envelope
from services.intake.usecases import progress
from tests.support import events
from tests.support.fake_intake import FakeProgressStore


@pytest.fixture
def store() -> FakeProgressStore:
    return FakeProgressStore()


def known_complaint(store: FakeProgressStore) -> str:
    complaint_id = uuid.uuid4()
    store.complaints.add(complaint_id)
    return str(complaint_id)


def status(complaint_id: str | None, stage: str, version: int):
    return parse_envelope(events.case_status_changed(complaint_id, stage, None, case_version=version))


def event(event_type: str, payload: dict) -> SimpleNamespace:
    """What the use cases read of an envelope (the bus checks its contract before they see it)."""
    return SimpleNamespace(type=event_type, event_id=uuid.uuid4(), payload=payload)


def test_a_stage_is_followed_once_and_an_earlier_one_arriving_late_does_not_replace_it(store):
    complaint_id = known_complaint(store)
    later = status(complaint_id, "verification", 3)
    progress.follow_case_status(store, later)
    progress.follow_case_status(store, later)
    progress.follow_case_status(store, status(complaint_id, "opened", 1))
    assert store.status[uuid.UUID(complaint_id)][0] == "verification"
    assert sorted(s for _, s in store.timeline.values()) == ["opened", "verification"]


def test_a_case_the_team_filed_itself_leaves_no_trace(store):
    progress.follow_case_status(store, status(None, "opened", 1))
    progress.follow_case_status(store, status(str(uuid.uuid4()), "opened", 1))
    assert not store.status and not store.timeline


def test_each_screenshot_gets_the_outcome_evidence_gave_it(store):
    complaint_id, kept, refused = known_complaint(store), uuid.uuid4(), uuid.uuid4()
    progress.record_evidence_outcome(store, event("evidence_stored", {
        "complaint_id": complaint_id, "upload_id": str(kept)}))
    progress.record_evidence_outcome(store, event("evidence_rejected", {
        "complaint_id": complaint_id, "upload_id": str(refused), "reason_code": "not_an_image"}))
    assert store.outcomes == {kept: ("accepted", None), refused: ("rejected", "not_an_image")}


def team_message(complaint_id: str) -> object:
    return event("message_to_reporter", {
        "complaint_id": complaint_id, "message_id": str(uuid.uuid4()), "kind": "question",
        "body": "Mohon kirim tangkapan layar yang lebih jelas.", "sent_at": datetime.now(UTC).isoformat()})


def test_a_team_message_reaches_the_reporter_once_and_only_for_a_complaint_intake_holds(store):
    message = team_message(known_complaint(store))
    progress.record_team_message(store, message)
    progress.record_team_message(store, message)
    progress.record_team_message(store, team_message(str(uuid.uuid4())))
    assert [m["author"] for m in store.messages.values()] == ["team"]


def test_an_identity_disclosure_is_told_once(store):
    complaint_id = known_complaint(store)
    disclosed = event("identity_disclosed", {
        "complaint_id": complaint_id, "disclosed_to": "BKPPD", "approved_at": datetime.now(UTC).isoformat()})
    progress.record_identity_disclosure(store, disclosed)
    progress.record_identity_disclosure(store, disclosed)
    assert list(store.disclosures.values()) == [(uuid.UUID(complaint_id), "BKPPD")]
