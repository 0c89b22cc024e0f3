"""casework's use cases: open cases, follow other services' events, run the team's commands.

Each runs in one unit of work: the appended case events, the outbox events and the
processed-message record commit together (docs/conventions.md, "Rules of the house").
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select, text

from netra_common.logging import log_event
from services.casework.adapters.case_repository import CaseRepository, Entry
from services.casework.adapters.directory import Directory
from services.casework.adapters.tables import case_list, early_events
from services.casework.adapters.vault import keep_sealed_identity
from services.casework.domain import events as ev
from services.casework.domain.case import Case
from services.casework.domain.commands import COMMANDS, Asked, TeamCommand
from services.casework.domain.errors import StaleVersion
from services.casework.domain.rules import NotAllowed
from services.casework.usecases.integration import integration_events

log = logging.getLogger(__name__)

CASE_NAMESPACE = uuid.UUID("6c1f4f0e-3f7b-4c55-9a0e-2d7f0b9d8a11")
STALE_RETRIES = 5


class CaseNotFound(Exception):
    pass


def case_id_for_complaint(complaint_id) -> uuid.UUID:
    """A complaint opens exactly one case, whose id follows from the complaint's."""
    return uuid.uuid5(CASE_NAMESPACE, f"complaint:{complaint_id}")


def _next_case_number(uow, at: datetime) -> str:
    number = uow.execute(text("SELECT nextval('casework.case_number_seq')")).scalar_one()
    return f"NTR-{at.year}-{number:05d}"


def save(uow, cases: CaseRepository, case: Case) -> None:
    """Append the events the case decided and emit what other services must hear of them."""
    metadata = {"correlation_id": str(uow.correlation_id),
                "causation_id": str(uow.cause.event_id) if uow.cause else None}
    for event_type, payload in integration_events(case, cases.save(case, metadata)):
        uow.emit(event_type, payload)


def retry_on_stale(action):
    """Run an event handler's unit of work again when another writer got in first."""
    for attempt in range(1, STALE_RETRIES + 1):
        try:
            return action()
        except StaleVersion:
            if attempt == STALE_RETRIES:
                raise


# --- opening cases -------------------------------------------------------------------


def _opened(uow, now: datetime, *, source: str, complaint_id: str | None, facts: dict,
            reporter: dict) -> ev.CaseOpened:
    return ev.CaseOpened(
        case_number=_next_case_number(uow, now), source=source, complaint_id=complaint_id,
        opened_at=now.isoformat(), reported=facts["reported"], platform=facts["platform"],
        post_urls=facts.get("post_urls") or [], account_handle=facts.get("account_handle"),
        occurred_at=facts["occurred_at"], violation_types=facts["violation_types"],
        description=facts["description"], reporter=reporter)


def _lock_complaint(uow, complaint_id: str) -> None:
    """Serialise opening a complaint's case with the events that follow it.

    Without it a follow-up could find no case, while the opening (not yet committed) had
    already taken the early events, and park itself where nobody would look again.
    """
    uow.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"casework.complaint:{complaint_id}"})


def open_case_from_complaint(db, envelope) -> None:
    p = envelope.payload
    case_id = case_id_for_complaint(p["complaint_id"])
    with db.unit_of_work(cause=envelope) as uow:
        _lock_complaint(uow, p["complaint_id"])
        cases = CaseRepository(uow.connection)
        if not uow.first_delivery() or cases.exists(case_id):
            return
        reporter, now = p["reporter"], cases.now
        case = Case.open(str(case_id), _opened(uow, now, source="public", complaint_id=p["complaint_id"],
                                                facts=p, reporter={
            "anonymous": reporter["anonymous"],
            "identity_sealed": bool(reporter.get("sealed_identity")),
            "contact_consent": bool(reporter.get("contact_consent"))}), at=now)
        for early in _take_early_events(uow, p["complaint_id"]):
            _apply_followup(case, early["event_type"], early["payload"], now)
        if reporter.get("sealed_identity"):
            keep_sealed_identity(uow.connection, case_id, reporter["sealed_identity"])
        save(uow, cases, case)
    log_event(log, "case.opened", case_id=case_id, case_number=case.opened_with.case_number)


def file_case(db, member, facts: dict) -> Case:
    """The team files a case from its own monitoring: no complaint, no reporter."""
    case_id = uuid.uuid4()
    with db.unit_of_work() as uow:
        cases = CaseRepository(uow.connection)
        opened = _opened(uow, cases.now, source="team", complaint_id=None, facts=facts,
                         reporter={"anonymous": True, "identity_sealed": False, "contact_consent": False})
        case = Case.open(str(case_id), ev.CaseOpened(**{**opened.to_data(), "actor": member.as_actor()}),
                         at=cases.now)
        save(uow, cases, case)
    log_event(log, "case.filed", case_id=case_id, actor=member.user_id)
    return case


# --- following other services --------------------------------------------------------


def _take_early_events(uow, complaint_id: str) -> list[dict]:
    rows = uow.execute(
        delete(early_events).where(early_events.c.complaint_id == uuid.UUID(complaint_id))
        .returning(early_events.c.event_type, early_events.c.payload, early_events.c.arrived_at)
    ).all()
    return [{"event_type": r.event_type, "payload": r.payload}
            for r in sorted(rows, key=lambda r: r.arrived_at)]


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


def record_complaint_followup(db, envelope) -> None:
    """Evidence outcomes and views, reporter replies: onto the case, or held until it opens."""

    def attempt():
        p = envelope.payload
        case_id = case_id_for_complaint(p["complaint_id"])
        with db.unit_of_work(cause=envelope) as uow:
            _lock_complaint(uow, p["complaint_id"])
            if not uow.first_delivery():
                return
            cases = CaseRepository(uow.connection)
            case = cases.get(case_id)
            if case is None:
                uow.execute(early_events.insert().values(
                    event_id=envelope.event_id, complaint_id=uuid.UUID(p["complaint_id"]),
                    event_type=envelope.type, payload=p))
                return
            if _apply_followup(case, envelope.type, p, cases.now):
                save(uow, cases, case)

    retry_on_stale(attempt)


# --- the team's commands -------------------------------------------------------------


def _require_assignee(member, case: Case, command: TeamCommand) -> None:
    if member.role == "anggota" and command.assignee_only and case.assignee_id != str(member.user_id):
        raise NotAllowed({"id": "Hanya anggota yang ditugasi kasus ini (atau ketua/sekretaris) yang dapat "
                                "menjalankan perintah ini.",
                          "en": "Only the member assigned to this case (or the ketua/sekretaris) may do this."})


def _seen(history: list[Entry], expected_version: int) -> bool:
    """The member decided on the case as it is now, give or take who looked and the clock."""
    return expected_version <= len(history) and all(
        e.event_type in ev.ACCESS_AND_TIME for e in history[expected_version:])


def run_command(db, member, case_id: uuid.UUID, command: str, expected_version: int,
                arguments: dict) -> Case:
    """Decide a team member's command on the case as they saw it (expected_version), from the fields
    of its request (prepared as the table of commands says)."""
    team_command = COMMANDS[command]

    def attempt() -> tuple[Case | None, int]:
        with db.unit_of_work() as uow:
            cases = CaseRepository(uow.connection)
            found = cases.get_with_history(case_id)
            if found is None:
                raise CaseNotFound(case_id)
            case, history = found
            if not _seen(history, expected_version):
                return None, case.version
            _require_assignee(member, case, team_command)
            prepared = team_command.prepare(arguments, Asked(case, cases.now, Directory(uow.connection)))
            getattr(case, command)(member.as_actor(), **prepared, at=cases.now)
            save(uow, cases, case)
        return case, case.version

    try:
        case, current = retry_on_stale(attempt)  # only a view or a timer got in between
    except StaleVersion as exc:
        case, current = None, exc.current
    if case is None:
        raise StaleVersion(expected_version, current)
    log_event(log, f"case.{command}", case_id=case_id, actor=member.user_id, version=case.version)
    return case


def read_case(conn, case_id: uuid.UUID) -> tuple[Case, list[Entry]]:
    """The case and its stored history (for the timeline)."""
    found = CaseRepository(conn).get_with_history(case_id)
    if found is None:
        raise CaseNotFound(case_id)
    return found


def read_identity(db, vault, member, case_id: uuid.UUID) -> dict:
    """The sealed identity, opened for the recipient an approved disclosure names, and logged."""

    def attempt():
        with db.unit_of_work() as uow:
            cases = CaseRepository(uow.connection)
            case = cases.get(case_id)
            if case is None:
                raise CaseNotFound(case_id)
            request_id = case.read_identity(member.as_actor(), at=cases.now)
            identity = vault.open(uow.connection, case_id)
            save(uow, cases, case)
        return request_id, identity

    request_id, identity = retry_on_stale(attempt)
    log_event(log, "identity.read", case_id=case_id, actor=member.user_id, request_id=request_id)
    return identity


# --- deadlines -----------------------------------------------------------------------


def mark_overdue_cases(db, calendar, now: datetime | None = None) -> int:
    """Mark each case whose current stage is past its deadline, once per stage entry."""
    now = now or datetime.now(UTC)
    with db.read() as conn:
        due = conn.execute(select(case_list.c.case_id).where(
            case_list.c.due_at < now, case_list.c.overdue.is_(False))).scalars().all()
    marked = 0
    for case_id in due:
        def attempt(case_id=case_id):
            with db.unit_of_work() as uow:
                cases = CaseRepository(uow.connection)
                case = cases.get(case_id)
                if case is not None and case.mark_overdue(calendar, at=cases.now):
                    save(uow, cases, case)
                    return 1
                return 0
        marked += retry_on_stale(attempt)
    if marked:
        log_event(log, "cases.overdue", marked=marked)
    return marked
