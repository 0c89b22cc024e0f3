"""The case's state machine: every command in every stage, the two-person rule, recusal,
reopening, and replay giving back exactly the live case."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from services.casework.domain import events as ev
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case
from services.casework.domain.commands import TRANSITIONS
from services.casework.domain.errors import InvalidCommand, TransitionNotAllowed
from services.casework.domain.lifecycle import STATUSES
from services.casework.domain.rules import (
    NotAllowed,
    RecipientNotEligible,
    Recused,
    SecondMemberRequired,
    ThreePeopleRequired,
)

KETUA = {"id": "k1", "role": "ketua", "work_unit": "Diskominfo"}
ANGGOTA = {"id": "a1", "role": "anggota", "work_unit": "Diskominfo"}
ANGGOTA_2 = {"id": "a2", "role": "anggota", "work_unit": "Bappeda"}
BKPPD = {"id": "b1", "role": "bkppd", "work_unit": "BKPPD"}
SAME_UNIT = {"id": "x1", "role": "anggota", "work_unit": "  dinas   PENDIDIKAN "}
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def opened_case(identity: bool = True) -> Case:
    return Case.open("case-1", ev.CaseOpened(
        case_number="NTR-2026-00001", source="public", complaint_id="c1",
        opened_at=NOW.isoformat(), reported={"name": "Budi", "work_unit": "Dinas Pendidikan"},
        platform="facebook", post_urls=[], account_handle=None,
        occurred_at="2026-11-20T10:00:00+00:00", violation_types=["share"],
        description="Membagikan konten kampanye.",
        reporter={"anonymous": not identity, "identity_sealed": identity, "contact_consent": False}), at=NOW)


ARGS = {
    "assign": lambda: (KETUA, {"assignee_id": "a1", "assignee_name": "Anggota Satu",
                               "assignee_work_unit": "Diskominfo"}),
    "start_verification": lambda: (ANGGOTA, {}),
    "request_clarification": lambda: (ANGGOTA, {"question": "Kapan?", "message_id": "m1"}),
    "resume_verification": lambda: (ANGGOTA, {"note": "Pelapor tidak menjawab dalam 7 hari kerja."}),
    "propose_violation": lambda: (ANGGOTA, {"finding": "Terbukti.", "legal_basis": "PP 94/2021",
                                            "sanction_level": "ringan"}),
    "confirm_violation": lambda: (ANGGOTA_2, {}),
    "reject_proposal": lambda: (ANGGOTA_2, {"note": "Belum cukup bukti."}),
    "dismiss": lambda: (KETUA, {"reason": "not_political"}),
    "forward_to_bkppd": lambda: (KETUA, {}),
    "record_sanction": lambda: (BKPPD, {"sanction_type": "teguran_tertulis", "decree_number": "800/01",
                                        "decree_date": "2026-12-01"}),
    "close": lambda: (KETUA, {"note": "Selesai."}),
    "reopen": lambda: (KETUA, {"reason": "Ada bukti baru dari pelapor lain."}),
}

# How to bring a fresh case into each stage.
PATHS = {
    "opened": [],
    "assigned": ["assign"],
    "under_verification": ["assign", "start_verification"],
    "clarification_requested": ["assign", "start_verification", "request_clarification"],
    "violation_proposed": ["assign", "start_verification", "propose_violation"],
    "violation_confirmed": ["assign", "start_verification", "propose_violation", "confirm_violation"],
    "dismissed": ["dismiss"],
    "forwarded_to_bkppd": ["assign", "start_verification", "propose_violation", "confirm_violation",
                           "forward_to_bkppd"],
    "closed": ["dismiss", "close"],
}
# The stage each command leads to from a stage where it is allowed (None: stays where it is).
LEADS_TO = {"assign": None, "start_verification": "under_verification",
            "request_clarification": "clarification_requested", "resume_verification": "under_verification",
            "propose_violation": "violation_proposed",
            "confirm_violation": "violation_confirmed", "reject_proposal": "under_verification",
            "dismiss": "dismissed", "forward_to_bkppd": "forwarded_to_bkppd", "record_sanction": "closed",
            "close": "closed", "reopen": "opened"}


def case_in(stage: str) -> Case:
    case = opened_case()
    for command in PATHS[stage]:
        actor, args = ARGS[command]()
        getattr(case, command)(actor, **args, at=NOW)
    assert case.status == stage
    return case


def test_every_stage_can_be_reached_and_sanction_decided_is_passed_through():
    assert set(PATHS) | {"sanction_decided"} == set(STATUSES)
    case = case_in("forwarded_to_bkppd")
    actor, args = ARGS["record_sanction"]()
    case.record_sanction(actor, **args, at=NOW)
    assert [s for _, s, _ in case.status_changes()][-2:] == ["sanction_decided", "closed"]


CELLS = [(stage, command) for stage in PATHS for command in ARGS]


@pytest.mark.parametrize("stage, command", CELLS, ids=[f"{s}-{c}" for s, c in CELLS])
def test_each_command_in_each_stage_is_done_or_refused_naming_the_stage(stage, command):
    case = case_in(stage)
    actor, args = ARGS[command]()
    if stage in TRANSITIONS[command]:
        getattr(case, command)(actor, **args, at=NOW)
        assert case.status == (LEADS_TO[command] or (stage if stage != "opened" else "assigned"))
    else:
        before = copy.deepcopy(case.pending)
        with pytest.raises(TransitionNotAllowed) as refused:
            getattr(case, command)(actor, **args, at=NOW)
        assert refused.value.details["status"] == stage
        assert refused.value.details["allowed"] == case.allowed_commands()
        assert stage in refused.value.message["id"] and command in refused.value.message["en"]
        assert case.pending == before


def test_a_violation_needs_a_second_member_to_agree():
    case = case_in("violation_proposed")
    with pytest.raises(SecondMemberRequired):
        case.confirm_violation(ANGGOTA, at=NOW)
    with pytest.raises(SecondMemberRequired):
        case.reject_proposal(ANGGOTA, note="Saya berubah pikiran.", at=NOW)
    case.confirm_violation(ANGGOTA_2, at=NOW)
    assert case.finding.proposed_by == "a1" and case.finding.actor["id"] == "a2"


def test_a_rejected_proposal_returns_the_case_to_verification_and_needs_a_new_proposal():
    case = case_in("violation_proposed")
    case.reject_proposal(ANGGOTA_2, note="Tangkapan layar tidak menunjukkan akun terlapor.", at=NOW)
    assert case.status == "under_verification" and case.proposal is None
    with pytest.raises(TransitionNotAllowed):
        case.confirm_violation(ANGGOTA_2, at=NOW)


def test_a_member_of_the_reported_asns_work_unit_is_excluded_from_the_case():
    case = opened_case()
    with pytest.raises(Recused):
        case.dismiss(SAME_UNIT, reason="not_asn", at=NOW)
    with pytest.raises(Recused):
        case.assign(KETUA, assignee_id="x1", assignee_name="Sama Unit", assignee_work_unit="Dinas Pendidikan", at=NOW)
    assert case.recused("dinas pendidikan") and not case.recused(None) and not case.recused("Bappeda")


def test_reopening_starts_the_case_over_with_the_reason_on_record():
    case = case_in("closed")
    case.reopen(KETUA, reason="Pelapor lain mengirim bukti baru.", at=NOW)
    assert case.status == "opened" and case.dismissal is None
    assert case.new_events[-1].reason == "Pelapor lain mengirim bukti baru."
    case.assign(KETUA, assignee_id="a1", assignee_name="Anggota", assignee_work_unit=None, at=NOW)
    assert case.status == "assigned"


def test_reassigning_during_verification_keeps_the_stage():
    case = case_in("under_verification")
    case.assign(KETUA, assignee_id="a2", assignee_name="Anggota Dua", assignee_work_unit="Bappeda", at=NOW)
    assert case.status == "under_verification" and case.assignee_id == "a2"


def test_the_reporters_answer_closes_an_open_question():
    case = case_in("clarification_requested")
    assert case.record_reply(ev.ReporterReplied(message_id="r1", body="Kemarin.", replied_at=NOW.isoformat()), at=NOW)
    assert case.status == "under_verification"
    assert not case.record_reply(ev.ReporterReplied(message_id="r1", body="Kemarin.",
                                                    replied_at=NOW.isoformat()), at=NOW)


def test_the_team_may_go_on_without_the_reporters_answer_and_a_late_answer_is_still_kept():
    case = case_in("clarification_requested")
    case.resume_verification(ANGGOTA, note="Pelapor tidak menjawab dalam 7 hari kerja.", at=NOW)
    assert case.status == "under_verification"
    assert case.record_reply(ev.ReporterReplied(message_id="r9", body="Maaf terlambat.", replied_at=NOW.isoformat()),
                             at=NOW)
    assert case.status == "under_verification" and case.new_events[-1].type == "reporter_replied"


def test_the_reporters_days_do_not_count_against_the_teams_days_to_a_finding():
    calendar = WorkingCalendar()
    monday = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    case = Case.open("case-2", opened_case().facts, at=monday)
    case._record(ev.CaseAssigned(assignee_id="a1", assignee_name="Anggota Satu", actor=KETUA), monday)
    case._record(ev.VerificationStarted(actor=ANGGOTA), monday)
    case._record(ev.ClarificationRequested(message_id="m1", question="Kapan?", actor=ANGGOTA), monday)
    answered = monday + timedelta(days=7)  # the next Monday: the team's three days were spent waiting
    case._record(ev.ReporterReplied(message_id="m2", body="Kemarin.", replied_at=answered.isoformat()), answered)
    case._record(ev.ClarificationAnswered(message_id="m2"), answered)
    assert case.due_at(calendar) == calendar.due(answered, 3)
    assert not case.is_overdue(calendar, answered + timedelta(days=1))


@pytest.mark.parametrize("args, field", [
    ({"reason": "bosan"}, "reason"), ({"reason": "duplicate"}, "duplicate_of"), ({"reason": "other"}, "note")])
def test_a_dismissal_needs_a_listed_reason_and_its_particulars(args, field):
    with pytest.raises(InvalidCommand) as refused:
        opened_case().dismiss(KETUA, **args, at=NOW)
    assert refused.value.details["field"] == field


def named(actor: dict, name: str = "Penerima", state: str = "active") -> dict:
    """A disclosure's recipient as the use case hands it to the case: their account as it is now."""
    return {"id": actor["id"], "name": name, "role": actor["role"], "work_unit": actor["work_unit"], "state": state}


REASON = "Saksi diperlukan dalam sidang disiplin."
OTHER_KETUA = {"id": "k2", "role": "ketua", "work_unit": None}


def test_a_case_filed_by_the_team_has_no_reporter_to_ask_or_disclose():
    case = opened_case(identity=False)
    with pytest.raises(InvalidCommand):
        case.request_disclosure(KETUA, request_id="d1", recipient=named(ANGGOTA), reason=REASON, at=NOW)


def test_disclosure_needs_another_ketua_and_opens_only_for_the_named_person_in_time():
    case = case_in("forwarded_to_bkppd")
    case.request_disclosure(KETUA, request_id="d1", recipient=named(BKPPD, "Pak BKPPD"), reason=REASON, at=NOW)
    with pytest.raises(SecondMemberRequired):  # the one who asks never decides (a rule: 422)
        case.approve_disclosure(KETUA, request_id="d1", valid_until=NOW + timedelta(hours=24),
                                recipient=named(BKPPD), at=NOW)
    case.approve_disclosure(OTHER_KETUA, request_id="d1", valid_until=NOW + timedelta(hours=24),
                            recipient=named(BKPPD), at=NOW)
    with pytest.raises(NotAllowed):
        case.read_identity(ANGGOTA, at=NOW + timedelta(hours=1))
    assert case.read_identity(BKPPD, at=NOW + timedelta(hours=1)) == "d1"
    with pytest.raises(NotAllowed):
        case.read_identity(BKPPD, at=NOW + timedelta(hours=25))
    assert case.disclosures["d1"].reads == 1
    assert not any("identity" in str(e.to_data()).lower() and "Budi" in str(e.to_data())
                   for e in case.new_events if e.type.startswith("identity"))


def test_a_denied_or_decided_request_cannot_be_decided_again():
    case = opened_case()
    case.request_disclosure(ANGGOTA, request_id="d1", recipient=named(ANGGOTA_2), reason=REASON, at=NOW)
    case.deny_disclosure(KETUA, request_id="d1", note="Tidak mendesak.", at=NOW)
    with pytest.raises(InvalidCommand):
        case.approve_disclosure(KETUA, request_id="d1", valid_until=NOW + timedelta(hours=1),
                                recipient=named(ANGGOTA_2), at=NOW)


def test_the_requester_is_never_the_recipient():
    case = opened_case()
    with pytest.raises(ThreePeopleRequired) as refused:
        case.request_disclosure(ANGGOTA, request_id="d1", recipient=named(ANGGOTA), reason=REASON, at=NOW)
    assert refused.value.code == "three_people_required" and "tiga orang berbeda" in refused.value.message["id"]
    assert case.new_events[-1].type == "case_opened"


def test_the_approver_is_never_the_recipient():
    """Today's failure: a sekretaris names the ketua, and the ketua approves and reads."""
    sekretaris = {"id": "s1", "role": "sekretaris", "work_unit": "Diskominfo"}
    case = opened_case()
    case.request_disclosure(sekretaris, request_id="d1", recipient=named(KETUA), reason=REASON, at=NOW)
    with pytest.raises(ThreePeopleRequired) as refused:
        case.approve_disclosure(KETUA, request_id="d1", valid_until=NOW + timedelta(hours=1),
                                recipient=named(KETUA), at=NOW)
    assert "Ketua yang menyetujui" in refused.value.message["id"]
    assert case.disclosures["d1"].state == "pending"
    case.approve_disclosure(OTHER_KETUA, request_id="d1", valid_until=NOW + timedelta(hours=1),
                            recipient=named(KETUA), at=NOW)
    assert case.read_identity(KETUA, at=NOW) == "d1"


NEVER_READERS = {
    "an admin": (named({"id": "ad", "role": "admin", "work_unit": None}), "admin tidak pernah"),
    "an invited account": (named(ANGGOTA_2, state="invited"), "belum didaftarkan"),
    "an unconfirmed account": (named(ANGGOTA_2, state="awaiting_confirmation"), "belum dikonfirmasi ketua"),
    "a deactivated account": (named(ANGGOTA_2, state="inactive"), "dinonaktifkan"),
    "a member of the reported ASN's work unit": (named(SAME_UNIT), "unit kerja yang sama"),
    "BKPPD on a case never forwarded": (named(BKPPD), "belum"),
    "no account at all": (None, "tidak ditemukan"),
}


@pytest.mark.parametrize("who", NEVER_READERS)
def test_a_recipient_who_could_never_read_it_is_refused_at_the_request_in_words(who):
    recipient, words = NEVER_READERS[who]
    case = case_in("violation_confirmed")
    with pytest.raises(RecipientNotEligible) as refused:
        case.request_disclosure(ANGGOTA, request_id="d1", recipient=recipient, reason=REASON, at=NOW)
    assert words in refused.value.message["id"] and refused.value.code == "recipient_not_eligible"
    assert "d1" not in case.disclosures


@pytest.mark.parametrize("who", [w for w in NEVER_READERS if w != "BKPPD on a case never forwarded"])
def test_a_recipient_who_can_no_longer_read_it_is_refused_again_at_the_approval(who):
    recipient, words = NEVER_READERS[who]
    case = opened_case()
    case.request_disclosure(ANGGOTA, request_id="d1", recipient=named(ANGGOTA_2), reason=REASON, at=NOW)
    with pytest.raises(RecipientNotEligible) as refused:
        case.approve_disclosure(KETUA, request_id="d1", valid_until=NOW + timedelta(hours=1),
                                recipient=recipient, at=NOW)
    assert words in refused.value.message["id"]
    assert case.disclosures["d1"].state == "pending"


def test_status_changes_report_each_move_with_the_stage_before_it():
    case = Case.from_events("case-1", [(e, NOW) for e in opened_case().new_events])
    case.assign(KETUA, assignee_id="a1", assignee_name="A", assignee_work_unit=None, at=NOW)
    case.start_verification(ANGGOTA, at=NOW)
    assert [(before, after) for before, after, _ in case.status_changes()] == [
        ("opened", "assigned"), ("assigned", "under_verification")]
