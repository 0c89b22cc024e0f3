"""The case aggregate: decides on commands, records events, changes only by applying them.

State is derived from the events alone and when each was recorded, so replaying a stream gives
exactly the case that was live (a property-based test holds it to that). Every command is given
the time of its unit of work (`at`): the case applies its new events at that time, and the
repository stores that same time with them. The case collects the events it decided until the
repository takes them (`collect_events`); nothing outside changes its fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from netra_common.contracts.reference import SANCTION_LEVELS, SANCTION_TYPES
from services.casework.domain import events as ev
from services.casework.domain import retention, rules
from services.casework.domain.calendar import CLOCK_STARTS, STAGE_DEADLINES, WorkingCalendar
from services.casework.domain.commands import TEAM_COMMANDS
from services.casework.domain.errors import TransitionNotAllowed
from services.casework.domain.lifecycle import (
    ASSIGNED,
    CLARIFICATION_REQUESTED,
    CLOSED,
    DISMISSAL_REASONS,
    DISMISSED,
    FORWARDED,
    OPENED,
    SANCTION_DECIDED,
    UNDER_VERIFICATION,
    VIOLATION_CONFIRMED,
    VIOLATION_PROPOSED,
)

# Where a team member's screenshots are taken: before a finding is proposed (decision 0025).
SCREENSHOT_STAGES = frozenset({OPENED, ASSIGNED, UNDER_VERIFICATION, CLARIFICATION_REQUESTED})


class UnknownEvent(Exception):
    """An event class the case has no rule for: applying it would silently change nothing."""


@dataclass(frozen=True)
class Recorded:
    """An event the case decided and applied but that is not stored yet: its version in the stream,
    the time it was applied (to be stored as its `recorded_at`) and the status before and after."""

    event: ev.CaseEvent
    version: int
    at: datetime
    status_before: str | None
    status: str | None


@dataclass
class Disclosure:
    request: ev.DisclosureRequested
    requested_by: str
    state: str = "pending"  # pending, approved, denied
    valid_until: str | None = None
    reads: int = 0


@dataclass
class Case:
    case_id: str
    version: int = 0
    status: str | None = None
    facts: ev.CaseOpened | None = None
    assignee_id: str | None = None
    assignee_name: str | None = None
    proposal: ev.ViolationProposed | None = None
    proposed_by: str | None = None
    finding: ev.ViolationConfirmed | None = None
    dismissal: ev.CaseDismissed | None = None
    sanction: ev.SanctionDecided | None = None
    evidence: list[ev.EvidenceAttached] = field(default_factory=list)
    decrees: list[ev.DecreeAttached] = field(default_factory=list)  # BKPPD's SK, as PDFs evidence keeps
    rejected_uploads: list[ev.EvidenceRejected] = field(default_factory=list)
    conversation: list[ev.CaseEvent] = field(default_factory=list)
    disclosures: dict[str, Disclosure] = field(default_factory=dict)
    stage_entered_at: datetime | None = None
    assigned_at: datetime | None = None
    # When verification last went on after the reporter was asked: the reporter's days do
    # not count against the team's days to a finding.
    resumed_at: datetime | None = None
    opened_at: datetime | None = None
    forwarded_at: datetime | None = None
    overdue_marked: set[str] = field(default_factory=set)
    # Retention (docs/retention.md): when the final decision was taken (none while worked or
    # after a reopening), the hold in force, when the last one was lifted, when it was purged.
    decided_at: datetime | None = None
    hold: ev.LegalHoldPlaced | None = None
    hold_lifted_at: datetime | None = None
    purged: ev.CasePurged | None = None
    # Events decided and applied but not yet taken by the repository.
    pending: list[Recorded] = field(default_factory=list)

    # --- replay, and the events the case decided ---------------------------------------

    @classmethod
    def from_events(cls, case_id: str, history: Iterable[tuple[ev.CaseEvent, datetime]]) -> Case:
        case = cls(case_id)
        for event, at in history:
            case._apply(event, at)
        return case

    def replay_next(self, event: ev.CaseEvent, at: datetime) -> None:
        """Move a replayed case on by its next stored event, as `from_events` does with each: a
        projection keeps the cases it replayed and moves them on, instead of replaying each anew."""
        self._apply(event, at)

    @property
    def stored_version(self) -> int:
        """The version the case had in its stream before the events it holds were decided."""
        return self.version - len(self.pending)

    @property
    def new_events(self) -> list[ev.CaseEvent]:
        return [recorded.event for recorded in self.pending]

    def collect_events(self) -> list[Recorded]:
        """The events decided since the case was read or last collected, handed over once to be stored."""
        collected, self.pending = self.pending, []
        return collected

    def _move(self, status: str, at: datetime) -> None:
        if status != self.status:
            self.status, self.stage_entered_at = status, at

    def _apply(self, event: ev.CaseEvent, at: datetime) -> None:  # noqa: C901 - one branch per fact
        actor_id = event.actor.get("id")
        match event:
            case ev.CaseOpened():
                self.facts, self.opened_at = event, at
                self._move(OPENED, at)
            case ev.CaseAssigned():
                self.assignee_id, self.assignee_name = event.assignee_id, event.assignee_name
                if self.status == OPENED:
                    self._move(ASSIGNED, at)
                    self.assigned_at = at
            case ev.VerificationStarted():
                self._move(UNDER_VERIFICATION, at)
            case ev.ClarificationRequested():
                self.conversation.append(event)
                self._move(CLARIFICATION_REQUESTED, at)
            case ev.ReporterReplied():
                self.conversation.append(event)
            case ev.ClarificationAnswered() | ev.VerificationResumed():
                self._move(UNDER_VERIFICATION, at)
                self.resumed_at = at
            case ev.ViolationProposed():
                self.proposal, self.proposed_by = event, actor_id
                self._move(VIOLATION_PROPOSED, at)
            case ev.ProposalRejected():
                self.proposal = self.proposed_by = None
                self._move(UNDER_VERIFICATION, at)
            case ev.ViolationConfirmed():
                self.finding = event
                self._move(VIOLATION_CONFIRMED, at)
            case ev.CaseDismissed():
                self.dismissal, self.decided_at = event, at
                self._move(DISMISSED, at)
            case ev.ForwardedToBkppd():
                self.forwarded_at = self.forwarded_at or at
                self._move(FORWARDED, at)
            case ev.SanctionDecided():
                self.sanction, self.decided_at = event, at
                self._move(SANCTION_DECIDED, at)
            case ev.CaseClosed():
                self._move(CLOSED, at)
            case ev.CaseReopened():
                self.proposal = self.proposed_by = self.finding = self.dismissal = None
                self.sanction = self.assigned_at = self.resumed_at = self.decided_at = None
                self._move(OPENED, at)
            case ev.CaseOverdue():
                self.overdue_marked.add(event.stage_entered_at)
            case ev.EvidenceAttached():
                if not self.has_evidence(event.evidence_id):
                    self.evidence.append(event)
            case ev.EvidenceRejected():
                self.rejected_uploads.append(event)
            case ev.DecreeAttached():
                self.decrees.append(event)
            case ev.DisclosureRequested():
                self.disclosures[event.request_id] = Disclosure(event, event.actor["id"])
            case ev.DisclosureApproved():
                disclosure = self.disclosures[event.request_id]
                disclosure.state, disclosure.valid_until = "approved", event.valid_until
            case ev.DisclosureDenied():
                self.disclosures[event.request_id].state = "denied"
            case ev.IdentityRead():
                self.disclosures[event.request_id].reads += 1
            case ev.EvidenceViewed() | ev.DecreeViewed():
                pass  # on the record (and in the version); what the case says is unchanged
            case ev.LegalHoldPlaced():
                self.hold = event
            case ev.LegalHoldLifted():
                self.hold, self.hold_lifted_at = None, at
            case ev.CasePurged():
                self._forget_personal_content(event)
            case _:
                raise UnknownEvent(f"case {self.case_id} has no rule for {type(event).__name__}")
        self.version += 1

    def _forget_personal_content(self, purged: ev.CasePurged) -> None:
        """What the case holds in memory after a purge is what its emptied events give on replay."""
        def emptied(event):
            return type(event)(**retention.redacted(event.type, event.to_data())) if event else None

        self.facts, self.proposal = emptied(self.facts), emptied(self.proposal)
        self.finding, self.dismissal, self.sanction = emptied(self.finding), emptied(self.dismissal), \
            emptied(self.sanction)
        self.evidence = [emptied(e) for e in self.evidence]
        self.decrees = [emptied(d) for d in self.decrees]
        self.conversation = [emptied(m) for m in self.conversation]
        for disclosure in self.disclosures.values():
            disclosure.request = emptied(disclosure.request)
        self.purged = purged

    def _record(self, event: ev.CaseEvent, at: datetime) -> None:
        before = self.status
        self._apply(event, at)
        self.pending.append(Recorded(event, self.version, at, before, self.status))

    # --- questions ------------------------------------------------------------------

    def allowed_commands(self) -> list[str]:
        """The team's next steps on the case's path from where it stands (disclosures are beside it);
        none once purged."""
        if self.purged is not None:
            return []
        return [c.name for c in TEAM_COMMANDS if c.next_step and self.status in c.stages]

    def has_evidence(self, evidence_id: str) -> bool:
        return any(e.evidence_id == str(evidence_id) for e in self.evidence)

    def status_changes(self) -> list[tuple[str | None, str | None, ev.CaseEvent]]:
        """(previous status, new status, event) for each pending event that moved the case."""
        return [(r.status_before, r.status, r.event) for r in self.pending if r.status != r.status_before]

    def due_at(self, calendar: WorkingCalendar) -> datetime | None:
        start = self._clock_start()
        if self.status not in STAGE_DEADLINES or start is None:
            return None
        return calendar.due(start, STAGE_DEADLINES[self.status][1])

    def is_overdue(self, calendar: WorkingCalendar, now: datetime) -> bool:
        due = self.due_at(calendar)
        return due is not None and now > due

    def _clock_start(self) -> datetime | None:
        if self.status and CLOCK_STARTS.get(self.status) == "assigned" and self.assigned_at:
            return self.resumed_at or self.assigned_at
        return self.stage_entered_at

    @property
    def marked_overdue(self) -> bool:
        """The timer marked the stage the case is in now as overdue."""
        start = self._clock_start()
        return start is not None and start.isoformat() in self.overdue_marked

    @property
    def ever_forwarded(self) -> bool:
        return self.forwarded_at is not None

    @property
    def opened_with(self) -> ev.CaseOpened:
        """The facts the case was opened with: every case read from its stream has them."""
        assert self.facts is not None, f"case {self.case_id} has no case_opened event"
        return self.facts

    def recused(self, work_unit: str | None) -> bool:
        return rules.same_work_unit(work_unit, (self.opened_with.reported or {}).get("work_unit"))

    # --- retention -------------------------------------------------------------------

    @property
    def outcome(self) -> str | None:
        """The outcome its retention period follows; None while it has no final decision."""
        if self.decided_at is None:
            return None
        return retention.outcome_of(self.dismissal is not None, self.sanction.sanction_type if self.sanction else None)

    def keep_until(self, schedule: retention.Schedule) -> datetime | None:
        """Until when its personal data is kept (None: no final decision yet, kept while worked)."""
        outcome = self.outcome
        if outcome is None or self.decided_at is None:
            return None
        return retention.keep_until(schedule, outcome, self.decided_at, self.hold_lifted_at)

    def due_for_purge(self, schedule: retention.Schedule, now: datetime) -> bool:
        until = self.keep_until(schedule)
        return self.purged is None and self.hold is None and until is not None and until <= now

    # --- guards ---------------------------------------------------------------------

    def _act(self, command: str, actor: dict) -> None:
        if self.purged is not None:  # its personal data is gone; the case stays as decided
            raise TransitionNotAllowed(command, "purged", [])
        rules.require_state(command, self.status, self.allowed_commands())
        if self.recused(actor.get("work_unit")):
            raise rules.recused_error()

    # --- commands from other services -----------------------------------------------

    @classmethod
    def open(cls, case_id: str, opened: ev.CaseOpened, *, at: datetime) -> Case:
        case = cls(case_id)
        case._record(opened, at)
        return case

    def attach_evidence(self, attached: ev.EvidenceAttached, *, at: datetime) -> bool:
        """Attach a stored screenshot; False if it is already attached (redelivery)."""
        if self.has_evidence(attached.evidence_id):
            return False
        self._record(attached, at)
        return True

    def note_rejected_upload(self, rejected: ev.EvidenceRejected, *, at: datetime) -> bool:
        if any(r.upload_id == rejected.upload_id for r in self.rejected_uploads):
            return False
        self._record(rejected, at)
        return True

    def record_view(self, viewed: ev.EvidenceViewed | ev.DecreeViewed, *, at: datetime) -> bool:
        self._record(viewed, at)
        return True

    record_decree_view = record_view  # a decree opened again is a view like a screenshot's

    def record_reply(self, reply: ev.ReporterReplied, *, at: datetime) -> bool:
        """The reporter wrote back; it answers an open question. False if already recorded."""
        if any(getattr(m, "message_id", None) == reply.message_id for m in self.conversation):
            return False
        self._record(reply, at)
        if self.status == CLARIFICATION_REQUESTED:
            self._record(ev.ClarificationAnswered(message_id=reply.message_id), at)
        return True

    def mark_overdue(self, calendar: WorkingCalendar, *, at: datetime) -> bool:
        """Mark the current stage overdue (as of `at`), once per time the case entered it."""
        due, entered = self.due_at(calendar), self._clock_start()
        if due is None or entered is None or at <= due or entered.isoformat() in self.overdue_marked:
            return False
        self._record(ev.CaseOverdue(stage=str(self.status), stage_entered_at=entered.isoformat(),
                                    due_at=due.isoformat()), at)
        return True

    # --- the team's commands --------------------------------------------------------

    def assign(self, actor: dict, assignee_id: str, assignee_name: str,
               assignee_work_unit: str | None = None, *, at: datetime) -> None:
        self._act("assign", actor)
        if self.recused(assignee_work_unit):
            raise rules.recused_error(assignee=True)
        self._record(ev.CaseAssigned(assignee_id=assignee_id, assignee_name=assignee_name, actor=actor), at)

    def start_verification(self, actor: dict, *, at: datetime) -> None:
        self._act("start_verification", actor)
        self._record(ev.VerificationStarted(actor=actor), at)

    def request_clarification(self, actor: dict, question: str, message_id: str, *, at: datetime) -> None:
        self._act("request_clarification", actor)
        rules.require_reporter(self.opened_with)
        self._record(ev.ClarificationRequested(message_id=message_id, question=question, actor=actor), at)

    def resume_verification(self, actor: dict, note: str, *, at: datetime) -> None:
        """Go on verifying without the reporter's answer; a late answer is still recorded."""
        self._act("resume_verification", actor)
        self._record(ev.VerificationResumed(note=note, actor=actor), at)

    def propose_violation(self, actor: dict, finding: str, legal_basis: str, sanction_level: str, *,
                          at: datetime) -> None:
        self._act("propose_violation", actor)
        rules.require_choice(sanction_level, SANCTION_LEVELS, "sanction_level", "Tingkat sanksi",
                             "Sanction level")
        self._record(ev.ViolationProposed(finding=finding, legal_basis=legal_basis,
                                          sanction_level=sanction_level, actor=actor), at)

    def confirm_violation(self, actor: dict, *, at: datetime) -> None:
        """A second member agrees with the proposed finding: only then is it confirmed."""
        self._act("confirm_violation", actor)
        rules.require_second_member(actor, self.proposed_by)
        p, proposer = self.proposal, self.proposed_by
        assert p is not None and proposer is not None, "a case in violation_proposed has its proposal"
        self._record(ev.ViolationConfirmed(finding=p.finding, legal_basis=p.legal_basis,
                                           sanction_level=p.sanction_level, proposed_by=proposer, actor=actor), at)

    def reject_proposal(self, actor: dict, note: str, *, at: datetime) -> None:
        self._act("reject_proposal", actor)
        rules.require_second_member(actor, self.proposed_by)
        self._record(ev.ProposalRejected(note=note, actor=actor), at)

    def dismiss(self, actor: dict, reason: str, note: str | None = None, duplicate_of: str | None = None, *,
                at: datetime) -> None:
        self._act("dismiss", actor)
        rules.require_choice(reason, DISMISSAL_REASONS, "reason", "Alasan penolakan", "Dismissal reason")
        rules.require_dismissal_particulars(reason, note, duplicate_of)
        self._record(ev.CaseDismissed(reason=reason, note=note, duplicate_of=duplicate_of, actor=actor), at)

    def forward_to_bkppd(self, actor: dict, *, at: datetime) -> None:
        self._act("forward_to_bkppd", actor)
        self._record(ev.ForwardedToBkppd(actor=actor), at)

    def record_sanction(self, actor: dict, sanction_type: str, decree_number: str, decree_date: str,
                        note: str | None = None, *, at: datetime) -> None:
        """BKPPD's decision; the case then closes by itself (docs/domain.md, "The path of a case")."""
        self._act("record_sanction", actor)
        rules.require_choice(sanction_type, SANCTION_TYPES, "sanction_type", "Jenis sanksi",
                             "Sanction type")
        self._record(ev.SanctionDecided(sanction_type=sanction_type, decree_number=decree_number,
                                        decree_date=decree_date, note=note, actor=actor), at)
        self._record(ev.CaseClosed(note="Ditutup otomatis setelah keputusan BKPPD."), at)

    def require_takes_decree(self, actor: dict) -> None:
        """A decree (SK) is taken while BKPPD's decision is awaited, or once it is recorded (the SK
        often comes after its number); asked before the file is stored, and again when recording it."""
        if not (self.status == FORWARDED or self.sanction is not None):
            raise TransitionNotAllowed("attach_decree", self.status or "none", self.allowed_commands())
        if self.recused(actor.get("work_unit")):
            raise rules.recused_error()

    def require_takes_screenshots(self, actor: dict) -> None:
        """A team member's screenshots are taken until a finding is proposed (what a finding rests on
        stays as its members saw it); an anggota hands them in on a case assigned to them or filed by
        them. Asked before evidence keeps the files, and again when recording them."""
        if self.status not in SCREENSHOT_STAGES:
            raise TransitionNotAllowed("add_screenshot", self.status or "none", self.allowed_commands())
        if self.recused(actor.get("work_unit")):
            raise rules.recused_error()
        own = (self.assignee_id, self.opened_with.actor.get("id"))
        if actor.get("role") == "anggota" and actor.get("id") not in own:
            raise rules.NotAllowed({"id": "Hanya anggota yang ditugasi kasus ini atau yang mencatatnya (atau "
                                          "ketua/sekretaris) yang dapat menambah tangkapan layar.",
                                    "en": "Only the member assigned to this case or who filed it (or the "
                                          "ketua/sekretaris) may add screenshots."})

    def attach_team_screenshot(self, actor: dict, attached: ev.EvidenceAttached, *, at: datetime) -> bool:
        """A screenshot a team member handed in, which evidence has kept: the same fact as a reporter's,
        with the member as its actor. False if it is already attached (a retried request)."""
        self.require_takes_screenshots(actor)
        return self.attach_evidence(ev.EvidenceAttached(**{**attached.to_data(), "actor": actor}), at=at)

    def attach_decree(self, actor: dict, decree: ev.DecreeAttached, *, at: datetime) -> None:
        """BKPPD's decree (SK) as a PDF, which evidence has kept."""
        self.require_takes_decree(actor)
        self._record(ev.DecreeAttached(**{**decree.to_data(), "actor": actor}), at)

    def close(self, actor: dict, note: str | None = None, *, at: datetime) -> None:
        self._act("close", actor)
        self._record(ev.CaseClosed(note=note, actor=actor), at)

    def reopen(self, actor: dict, reason: str, *, at: datetime) -> None:
        self._act("reopen", actor)
        self._record(ev.CaseReopened(reason=reason, actor=actor), at)

    def place_legal_hold(self, actor: dict, reason: str, note: str, *, at: datetime) -> None:
        """The ketua keeps the case past its retention period until the hold is lifted."""
        self._act("place_legal_hold", actor)
        rules.require_choice(reason, tuple(retention.HOLD_REASONS), "reason", "Alasan penahanan", "Hold reason")
        rules.require_retention_state(held=self.hold is not None, purged=self.purged is not None, placing=True)
        self._record(ev.LegalHoldPlaced(reason=reason, note=note, actor=actor), at)

    def lift_legal_hold(self, actor: dict, note: str, *, at: datetime) -> None:
        self._act("lift_legal_hold", actor)
        rules.require_retention_state(held=self.hold is not None, purged=self.purged is not None, placing=False)
        self._record(ev.LegalHoldLifted(note=note, actor=actor), at)

    def purge(self, schedule: retention.Schedule, events: list[dict], *, at: datetime) -> ev.CasePurged:
        """Record the purge of a case past its period and off hold; `events` names each event it
        empties (version, hash, digest of what is left). The caller empties them in the same unit."""
        until, outcome = self.keep_until(schedule), self.outcome
        if not self.due_for_purge(schedule, at) or until is None or outcome is None or self.decided_at is None:
            raise TransitionNotAllowed("purge", self.status or "none", [])
        purged = ev.CasePurged(purged_at=at.isoformat(), outcome=outcome, decided_at=self.decided_at.isoformat(),
                               keep_until=until.isoformat(), events=events)
        self._record(purged, at)
        return purged

    # --- the identity vault ---------------------------------------------------------

    def request_disclosure(self, actor: dict, request_id: str, recipient: dict | None, reason: str, *,
                           at: datetime) -> None:
        """Ask that the named person may read the identity: someone else than the requester, who could
        read it if approved (see rules.require_possible_reader)."""
        self._act("request_disclosure", actor)
        rules.require_identity_on_file(self.opened_with)
        if recipient is not None:
            rules.require_three_people(actor["id"], recipient["id"])
        named = self._possible_reader(recipient)
        self._record(ev.DisclosureRequested(
            request_id=request_id, recipient_id=named["id"], recipient_name=named["name"],
            recipient_body="BKPPD" if named["role"] == "bkppd" else "Tim Pemantau Netralitas ASN",
            reason=reason, actor=actor), at)

    def _possible_reader(self, recipient: dict | None) -> dict:
        return rules.require_possible_reader(recipient, (self.opened_with.reported or {}).get("work_unit"),
                                             self.ever_forwarded)

    def _pending_disclosure(self, request_id: str) -> Disclosure:
        disclosure = self.disclosures.get(request_id)
        if disclosure is None or disclosure.state != "pending":
            raise rules.no_pending_request_error()
        return disclosure

    def approve_disclosure(self, actor: dict, request_id: str, valid_until: datetime,
                           recipient: dict | None = None, *, at: datetime) -> None:
        """A ketua who neither asked nor is named approves; the named person (as their account is now)
        must still be able to read it."""
        self._act("approve_disclosure", actor)
        disclosure = self._pending_disclosure(request_id)
        rules.require_not_requester(actor, disclosure.requested_by)
        rules.require_three_people(disclosure.requested_by, disclosure.request.recipient_id, actor["id"])
        self._possible_reader(recipient)
        self._record(ev.DisclosureApproved(request_id=request_id, valid_until=valid_until.isoformat(),
                                           actor=actor), at)

    def deny_disclosure(self, actor: dict, request_id: str, note: str, *, at: datetime) -> None:
        self._act("deny_disclosure", actor)
        self._pending_disclosure(request_id)
        self._record(ev.DisclosureDenied(request_id=request_id, note=note, actor=actor), at)

    def read_identity(self, actor: dict, *, at: datetime) -> str:
        """Record a reading by the named recipient within the approved time; the request id."""
        for request_id, disclosure in self.disclosures.items():
            if (disclosure.state == "approved" and disclosure.request.recipient_id == actor["id"]
                    and disclosure.valid_until is not None and datetime.fromisoformat(disclosure.valid_until) > at):
                self._record(ev.IdentityRead(request_id=request_id, read_at=at.isoformat(), actor=actor), at)
                return request_id
        raise rules.no_disclosure_error()
