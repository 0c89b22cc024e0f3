"""casework's case use cases against in-memory ports (tests/support/fake_units.py): the rules that
live in the use cases rather than the aggregate, in milliseconds and without PostgreSQL.
The same use cases on real PostgreSQL: tests/integration/test_casework_followups.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from netra_common.contracts import new_envelope, parse_envelope
from services.casework.domain.accounts import TeamMember
from services.casework.domain.errors import StaleVersion
from services.casework.domain.rules import NotAllowed
from services.casework.usecases import cases
from tests.support import events
from tests.support.fake_cases import FakeCases
from tests.support.fake_units import FakeUnits


def member(role: str, name: str) -> TeamMember:
    return TeamMember(uuid.uuid4(), name.lower(), name, role, "Diskominfo")


KETUA, SEKRETARIS = member("ketua", "Rahmat"), member("sekretaris", "Sari")
BUDI, WATI = member("anggota", "Budi"), member("anggota", "Wati")


@pytest.fixture
def units() -> FakeUnits:
    fake = FakeUnits()
    fake.directory.members.update({str(m.user_id): m for m in (KETUA, SEKRETARIS, BUDI, WATI)})
    return fake


def complaint_in(units: FakeUnits) -> tuple[str, uuid.UUID]:
    envelope = parse_envelope(events.complaint_submitted())
    cases.open_case_from_complaint(units, envelope)
    complaint_id = envelope.payload["complaint_id"]
    return complaint_id, cases.case_id_for_complaint(complaint_id)


def viewed(complaint_id: str, evidence_id: str) -> dict:
    return new_envelope("evidence_viewed", {
        "evidence_id": evidence_id, "complaint_id": complaint_id, "copy": "sanitized",
        "member_id": str(KETUA.user_id), "member_role": "ketua", "purpose": "verification",
        "grant_id": str(uuid.uuid4()), "viewed_at": datetime.now(UTC).isoformat()}, producer="tests").to_message()


def version_of(units: FakeUnits, case_id: uuid.UUID) -> int:
    return len(units.streams[case_id])


# --- events that come before their case ------------------------------------------------------


def test_evidence_that_arrives_before_its_case_is_held_then_applied_when_the_case_opens(units):
    complaint = parse_envelope(events.complaint_submitted())
    complaint_id = complaint.payload["complaint_id"]
    stored = parse_envelope(events.evidence_stored(complaint_id))

    cases.record_complaint_followup(units, stored)
    assert [e.event_type for e in units.early[complaint_id]] == ["evidence_stored"]
    assert units.streams == {}

    cases.open_case_from_complaint(units, complaint)
    case = FakeCases(units.streams).get(cases.case_id_for_complaint(complaint_id))
    assert [e.evidence_id for e in case.evidence] == [stored.payload["evidence_id"]]
    assert complaint_id not in units.early
    assert units.locked == [complaint_id, complaint_id]  # both serialised on the complaint


def test_the_same_evidence_delivered_twice_is_attached_once(units):
    complaint_id, case_id = complaint_in(units)
    stored = parse_envelope(events.evidence_stored(complaint_id))
    cases.record_complaint_followup(units, stored)
    before = version_of(units, case_id)
    cases.record_complaint_followup(units, stored)
    assert version_of(units, case_id) == before
    assert [t for t, _ in units.emitted].count("case_status_changed") == 1  # the opening's only


def test_a_complaint_delivered_twice_opens_one_case_with_one_number(units):
    complaint = parse_envelope(events.complaint_submitted())
    cases.open_case_from_complaint(units, complaint)
    cases.open_case_from_complaint(units, complaint)
    assert len(units.streams) == 1 and version_of(units, cases.case_id_for_complaint(
        complaint.payload["complaint_id"])) == 1


# --- the assignee rule -------------------------------------------------------------------------


def assigned_to_budi(units: FakeUnits) -> uuid.UUID:
    _, case_id = complaint_in(units)
    cases.run_command(units, KETUA, case_id, "assign", 1, {"assignee_id": str(BUDI.user_id)})
    return case_id


def test_an_anggota_not_assigned_to_the_case_may_not_run_an_assignee_only_command(units):
    case_id = assigned_to_budi(units)
    with pytest.raises(NotAllowed):
        cases.run_command(units, WATI, case_id, "start_verification", 2, {})
    assert version_of(units, case_id) == 2  # nothing recorded


def test_the_assignee_may_run_it(units):
    case_id = assigned_to_budi(units)
    case = cases.run_command(units, BUDI, case_id, "start_verification", 2, {})
    assert case.status == "under_verification" and case.version == 3


@pytest.mark.parametrize("lead", [KETUA, SEKRETARIS], ids=lambda m: m.role)
def test_the_ketua_and_sekretaris_may_run_it_on_any_case(units, lead):
    case_id = assigned_to_budi(units)
    assert cases.run_command(units, lead, case_id, "start_verification", 2, {}).status == "under_verification"


# --- stale versions ----------------------------------------------------------------------------


def test_a_command_goes_through_when_only_a_view_got_in_first(units):
    case_id = assigned_to_budi(units)
    complaint_id = units.streams[case_id][0].data["complaint_id"]
    stored = parse_envelope(events.evidence_stored(complaint_id))
    cases.record_complaint_followup(units, stored)  # version 3

    def someone_looks(units: FakeUnits) -> None:
        units.before_save = None
        cases.record_complaint_followup(units, parse_envelope(viewed(complaint_id, stored.payload["evidence_id"])))

    units.before_save = someone_looks
    begun = units.units_begun
    case = cases.run_command(units, BUDI, case_id, "start_verification", 3, {})
    assert case.status == "under_verification" and case.version == 5  # after the view, not lost
    assert [s.event_type for s in units.streams[case_id][3:]] == ["evidence_viewed", "verification_started"]
    assert units.units_begun - begun == 3  # the command, the view, the command again


def test_a_command_on_a_case_someone_else_changed_first_is_refused_as_stale(units):
    case_id = assigned_to_budi(units)

    def ketua_reassigns(units: FakeUnits) -> None:
        units.before_save = None
        cases.run_command(units, KETUA, case_id, "assign", 2, {"assignee_id": str(WATI.user_id)})

    units.before_save = ketua_reassigns
    with pytest.raises(StaleVersion) as refused:
        cases.run_command(units, BUDI, case_id, "start_verification", 2, {})
    assert (refused.value.expected, refused.value.current) == (2, 3)
    assert [s.event_type for s in units.streams[case_id]][-1] == "case_assigned"


def test_an_event_handler_gives_up_after_the_last_retry_and_leaves_nothing_behind(units):
    _, case_id = complaint_in(units)
    complaint_id = units.streams[case_id][0].data["complaint_id"]
    attempts = []

    def another_writer_always_first(units: FakeUnits) -> None:
        attempts.append(1)
        _append_noise(units, case_id)

    units.before_save = another_writer_always_first
    stored = parse_envelope(events.evidence_stored(complaint_id))
    with pytest.raises(StaleVersion):
        cases.record_complaint_followup(units, stored)
    assert len(attempts) == cases.STALE_RETRIES
    # Each attempt rolled back, its delivery record too (so the bus's retry is not taken for a
    # duplicate); the other writer's events stay: they committed.
    assert "evidence_attached" not in [s.event_type for s in units.streams[case_id]]
    assert version_of(units, case_id) == 1 + cases.STALE_RETRIES
    assert stored.event_id not in units.handled


def _append_noise(units: FakeUnits, case_id: uuid.UUID) -> None:
    """Another writer appends to the stream (the copy of its last event, enough to move the version)."""
    last = units.streams[case_id][-1]
    units.streams[case_id].append(last.__class__(*[
        len(units.streams[case_id]) + 1 if name in ("global_position", "version") else getattr(last, name)
        for name in last.__dataclass_fields__]))


def test_a_change_of_stage_says_when_the_stage_it_enters_is_due(units):
    """The reporter's status page says by when (intake shows due_at); a stage without a deadline
    says none."""
    complaint = parse_envelope(events.complaint_submitted())
    cases.open_case_from_complaint(units, complaint)
    opened = [p for t, p in units.emitted if t == "case_status_changed"][-1]
    changed, due = datetime.fromisoformat(opened["changed_at"]), datetime.fromisoformat(opened["due_at"])
    assert opened["status"] == "opened" and changed < due <= changed + timedelta(days=4)  # one working day
