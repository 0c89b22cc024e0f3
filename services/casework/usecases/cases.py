"""casework's use cases: open cases, follow other services' events, run the team's commands.

Each runs in one unit of work: the appended case events, the outbox events and the
processed-message record commit together (docs/conventions.md, "Rules of the house"). They reach the
outside world through the ports in ports.py only (adapters/units.py over PostgreSQL, a fake in the unit tests).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from netra_common.contracts.envelope import Envelope
from netra_common.logging import log_event
from services.casework.adapters.case_repository import Entry
from services.casework.adapters.retention_schedule import default_schedule
from services.casework.domain import events as ev
from services.casework.domain.accounts import TeamMember
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case
from services.casework.domain.commands import COMMANDS, Asked, TeamCommand
from services.casework.domain.errors import StaleVersion
from services.casework.domain.rules import NotAllowed
from services.casework.usecases.integration import integration_events, retention_events
from services.casework.usecases.ports import Cases, CaseworkUnit, CaseworkUnits

log = logging.getLogger(__name__)

CASE_NAMESPACE = uuid.UUID("6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11")
STALE_RETRIES = 5
T = TypeVar("T")


class CaseNotFound(Exception):
    pass


def case_id_for_complaint(complaint_id: str) -> uuid.UUID:
    """A complaint opens exactly one case, whose id follows from the complaint's."""
    return uuid.uuid5(CASE_NAMESPACE, f"complaint:{complaint_id}")


def save(unit: CaseworkUnit, case: Case) -> None:
    """Append the events the case decided and emit what other services must hear of them.

    A forward to BKPPD takes a signed checkpoint of the log in the same unit of work, so the one
    BKPPD receives covers the forward itself (docs/decisions/0016); it carries the sealed dossier's
    SHA-256 and signature too, made in this unit from the history it just stored, after the
    checkpoint, which the dossier prints (usecases/dossiers.py). Every other save emits first and
    appends last, as the unit of work's last statement, so the append is sent with the COMMIT and
    holds the append lock for the shortest time (docs/decisions/0026): it must be the last thing a
    unit of work does, as it is in every use case here."""
    unit.follow_case(case.case_id)
    metadata = {"correlation_id": str(unit.correlation_id),
                "causation_id": str(unit.cause_id) if unit.cause_id else None}
    if any(isinstance(r.event, ev.ForwardedToBkppd) for r in case.pending):
        recorded = unit.cases.save(case, metadata)
        _emit(unit, case, recorded, unit.take_checkpoint("forward", case.case_id))
        return
    _emit(unit, case, list(case.pending), None)
    unit.cases.save(case, metadata, last=True)


def _emit(unit: CaseworkUnit, case: Case, recorded: list, checkpoint: dict[str, Any] | None) -> None:
    for event_type, payload in integration_events(case, recorded, checkpoint, case.due_at(unit.calendar)):
        if event_type == "case_forwarded_to_bkppd":
            dossier = unit.seal_dossier(case.case_id)
            if dossier is not None:
                payload = {**payload, "dossier": dossier}
        unit.emit(event_type, payload)
    for event_type, payload in retention_events(case, recorded, default_schedule()):
        unit.emit(event_type, payload)


def retry_on_stale(action: Callable[[], T]) -> T:
    """Run an event handler's unit of work again when another writer got in first."""
    for attempt in range(1, STALE_RETRIES + 1):
        try:
            return action()
        except StaleVersion:
            if attempt == STALE_RETRIES:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


# --- opening cases -------------------------------------------------------------------


def _opened(unit: CaseworkUnit, now: datetime, *, source: str, complaint_id: str | None, facts: dict[str, Any],
            reporter: dict[str, Any]) -> ev.CaseOpened:
    return ev.CaseOpened(
        case_number=unit.next_case_number(now.year), source=source, complaint_id=complaint_id,
        opened_at=now.isoformat(), reported=facts["reported"], platform=facts["platform"],
        post_urls=facts.get("post_urls") or [], account_handle=facts.get("account_handle"),
        occurred_at=facts["occurred_at"], violation_types=facts["violation_types"],
        description=facts["description"], reporter=reporter)


def open_case_from_complaint(units: CaseworkUnits, envelope: Envelope) -> None:
    p = envelope.payload
    case_id = case_id_for_complaint(p["complaint_id"])
    with units.unit_of_work(cause=envelope) as unit:
        # Serialises the opening with the events that follow the complaint (ports.CaseworkUnit).
        unit.lock_complaint(p["complaint_id"])
        if not unit.first_delivery() or unit.cases.exists(case_id):
            return
        reporter, now = p["reporter"], unit.cases.now
        case = Case.open(str(case_id), _opened(unit, now, source="public", complaint_id=p["complaint_id"],
                                                 facts=p, reporter={
            "anonymous": reporter["anonymous"],
            "identity_sealed": bool(reporter.get("sealed_identity")),
            "contact_consent": bool(reporter.get("contact_consent"))}), at=now)
        for early in unit.take_early_events(p["complaint_id"]):
            _apply_followup(case, early.event_type, early.payload, now)
        if reporter.get("sealed_identity"):
            unit.keep_sealed_identity(case_id, reporter["sealed_identity"])
        save(unit, case)
    log_event(log, "case.opened", case_id=case_id, case_number=case.opened_with.case_number)


def file_case(units: CaseworkUnits, member: TeamMember, facts: dict[str, Any]) -> Case:
    """The team files a case from its own monitoring: no complaint, no reporter."""
    case_id = uuid.uuid4()
    with units.unit_of_work() as unit:
        now = unit.cases.now
        opened = _opened(unit, now, source="team", complaint_id=None, facts=facts,
                         reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False})
        case = Case.open(str(case_id), ev.CaseOpened(**{**opened.to_data(), "actor": member.as_actor()}), at=now)
        save(unit, case)
    log_event(log, "case.filed", case_id=case_id, actor=member.user_id)
    return case


# --- following other services --------------------------------------------------------


def _apply_followup(case: Case, event_type: str, p: dict, at: datetime) -> bool:
    """Apply an event that follows a complaint; False if the case already has it."""
    if event_type == "evidence_stored":
        return case.attach_evidence(ev.EvidenceAttached(
            evidence_id=p["evidence_id"], upload_id=p["upload_id"], sha256=p["sha256"],
            size=p["size"], content_type=p["content_type"], received_at=p["received_at"],
            perceptual_hash=p.get("perceptual_hash"), width=p.get("width"), height=p.get("height")), at=at)
    if event_type == "evidence_rejected":
        return case.note_rejected_upload(ev.EvidenceRejected(upload_id=p["upload_id"],
                                                             reason_code=p["reason_code"]), at=at)
    if event_type == "evidence_viewed":
        return case.record_view(ev.EvidenceViewed(**{k: p[k] for k in (
            "evidence_id", "copy", "member_id", "member_role", "purpose", "grant_id", "viewed_at")}), at=at)
    return case.record_reply(ev.ReporterReplied(message_id=p["message_id"], body=p["body"],
                                                replied_at=p["replied_at"]), at=at)


def record_case_view(units: CaseworkUnits, envelope: Envelope) -> None:
    """A view of a screenshot the team handed in (docs/decisions/0025): evidence names its case, which
    exists already (the screenshot was attached to it)."""

    def attempt() -> None:
        p = envelope.payload
        with units.unit_of_work(cause=envelope) as unit:
            if not unit.first_delivery():
                return
            case = unit.cases.get(uuid.UUID(p["case_id"]))
            if case is None:
                raise CaseNotFound(p["case_id"])  # retried, then parked for an operator
            if _apply_followup(case, envelope.type, p, unit.cases.now):
                save(unit, case)

    retry_on_stale(attempt)


def record_complaint_followup(units: CaseworkUnits, envelope: Envelope) -> None:
    """Evidence outcomes and views, reporter replies: onto the case, or held until it opens."""
    if envelope.payload.get("complaint_id") is None and envelope.payload.get("case_id"):
        record_case_view(units, envelope)
        return

    def attempt() -> None:
        p = envelope.payload
        case_id = case_id_for_complaint(p["complaint_id"])
        with units.unit_of_work(cause=envelope) as unit:
            unit.lock_complaint(p["complaint_id"])
            if not unit.first_delivery():
                return
            case = unit.cases.get(case_id)
            if case is None:
                unit.hold_early_event(envelope.event_id, p["complaint_id"], envelope.type, p)
                return
            if _apply_followup(case, envelope.type, p, unit.cases.now):
                save(unit, case)

    retry_on_stale(attempt)


# --- the team's commands -------------------------------------------------------------


def _require_assignee(member: TeamMember, case: Case, command: TeamCommand) -> None:
    if member.role == "anggota" and command.assignee_only and case.assignee_id != str(member.user_id):
        raise NotAllowed({"id": "Hanya anggota yang ditugasi kasus ini (atau ketua/sekretaris) yang dapat "
                                "menjalankan perintah ini.",
                          "en": "Only the member assigned to this case (or the ketua/sekretaris) may do this."})


def _seen(history: list[Entry], expected_version: int, member_id=None) -> bool:
    """The member decided on the case as it is now, give or take who looked, the clock, and the SK
    they handed in themselves just before (the console and `netra record-sanction --decree-file`
    hand in the file, then record the decision they saw)."""
    return expected_version <= len(history) and all(
        e.event_type in ev.ACCESS_AND_TIME
        or (e.event_type == ev.DecreeAttached.type and e.event.actor.get("id") == str(member_id))
        for e in history[expected_version:])


def run_command(units: CaseworkUnits, member: TeamMember, case_id: uuid.UUID, command: str,
                expected_version: int, arguments: dict[str, Any]) -> Case:
    """Decide a team member's command on the case as they saw it (expected_version), from the fields
    of its request (prepared as the table of commands says)."""
    team_command = COMMANDS[command]

    def attempt() -> tuple[Case | None, int]:
        with units.unit_of_work() as unit:
            found = unit.cases.get_with_history(case_id)
            if found is None:
                raise CaseNotFound(case_id)
            case, history = found
            if not _seen(history, expected_version, member.user_id):
                return None, case.version
            _require_assignee(member, case, team_command)
            now = unit.cases.now
            prepared = team_command.prepare(arguments, Asked(case, now, unit.directory))
            getattr(case, command)(member.as_actor(), **prepared, at=now)
            if command == "approve_disclosure":  # the approver's key re-seals it to the recipient alone
                request_id = prepared["request_id"]
                unit.reseal_identity(case_id, request_id, case.disclosures[request_id].request.recipient_id)
            save(unit, case)
        return case, case.version

    try:
        case, current = retry_on_stale(attempt)  # only a view or a timer got in between
    except StaleVersion as exc:
        case, current = None, exc.current
    if case is None:
        raise StaleVersion(expected_version, current)
    log_event(log, f"case.{command}", case_id=case_id, actor=member.user_id, version=case.version)
    return case


def read_case(cases: Cases, case_id: uuid.UUID) -> tuple[Case, list[Entry]]:
    """The case and its stored history (for the timeline)."""
    found = cases.get_with_history(case_id)
    if found is None:
        raise CaseNotFound(case_id)
    return found


def read_identity(units: CaseworkUnits, member: TeamMember, case_id: uuid.UUID) -> dict[str, Any]:
    """The sealed identity, opened for the recipient an approved disclosure names, and logged."""

    def attempt() -> tuple[str, dict[str, Any]]:
        with units.unit_of_work() as unit:
            case = unit.cases.get(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            request_id = case.read_identity(member.as_actor(), at=unit.cases.now)
            identity = unit.open_identity(case_id, request_id)
            save(unit, case)
        return request_id, identity

    request_id, identity = retry_on_stale(attempt)
    log_event(log, "identity.read", case_id=case_id, actor=member.user_id, request_id=request_id)
    return identity


# --- deadlines -----------------------------------------------------------------------


def mark_overdue_cases(units: CaseworkUnits, calendar: WorkingCalendar, now: datetime | None = None) -> int:
    """Mark each case whose current stage is past its deadline, once per stage entry."""
    now = now or datetime.now(UTC)
    marked = 0
    for case_id in units.overdue_case_ids(now):
        def attempt(case_id: uuid.UUID = case_id) -> int:
            with units.unit_of_work() as unit:
                case = unit.cases.get(case_id)
                if case is not None and case.mark_overdue(calendar, at=unit.cases.now):
                    save(unit, case)
                    return 1
                return 0
        marked += retry_on_stale(attempt)
    if marked:
        log_event(log, "cases.overdue", marked=marked)
    return marked


def take_daily_checkpoint(units: CaseworkUnits) -> dict[str, Any] | None:
    """The day's signed checkpoint of the log, if none was taken in the last 24 hours."""
    with units.unit_of_work() as unit:
        signed = unit.take_daily_checkpoint_if_due()
    if signed:
        log_event(log, "log.checkpoint", reason="daily", global_position=signed["checkpoint"]["global_position"],
                  log_hash=signed["checkpoint"]["log_hash"])
    return signed
