"""The case file as the team reads it (JSON-ready): the case replayed from its stream, its history
and its links, presented field by field."""

from __future__ import annotations

from services.casework.adapters.case_repository import Entry
from services.casework.adapters.retention_schedule import default_schedule
from services.casework.domain import events as ev
from services.casework.domain.accounts import TeamMember
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case
from services.casework.domain.errors import DomainError
from services.casework.domain.next_steps import commands_for
from services.casework.domain.permissions import may


def _disclosures(case: Case) -> list[dict]:
    return [{"request_id": rid, "state": d.state, "recipient_id": d.request.recipient_id,
             "recipient_name": d.request.recipient_name,
             "recipient_body": d.request.recipient_body, "reason": d.request.reason,
             "requested_by": d.requested_by, "valid_until": d.valid_until, "reads": d.reads}
            for rid, d in case.disclosures.items()]


def _retention(case: Case) -> dict:
    """How long the case's personal data is kept, and whether it is held or purged (docs/retention.md)."""
    hold = case.hold
    return {"outcome": case.outcome, "decided_at": case.decided_at, "keep_until": case.keep_until(default_schedule()),
            "on_hold": hold is not None,
            "hold": {"reason": hold.reason, "note": hold.note, "by": hold.actor.get("id")} if hold else None,
            "hold_lifted_at": case.hold_lifted_at,
            "purged_at": case.purged.purged_at if case.purged else None}


def case_file(case: Case, history: list[Entry], calendar: WorkingCalendar, links: list[dict],
              member: TeamMember) -> dict:
    facts = case.facts
    return {
        "case_id": case.case_id,
        "case_number": facts.case_number,
        "version": case.version,
        "status": case.status,
        "allowed_commands": case.allowed_commands(),  # the case's next steps, whoever runs them
        "my_commands": commands_for(case, member.user_id, member.role, member.work_unit),  # the reader's
        "may_add_screenshots": _takes_screenshots_from(case, member),  # the reader, now (decision 0025)
        "source": facts.source,
        "opened_at": case.opened_at,
        "stage_entered_at": case.stage_entered_at,
        "due_at": case.due_at(calendar),
        "overdue": case.marked_overdue,
        "reported": facts.reported,
        "platform": facts.platform,
        "post_urls": facts.post_urls,
        "account_handle": facts.account_handle,
        "occurred_at": facts.occurred_at,
        "violation_types": facts.violation_types,
        "description": facts.description,
        # Whether an identity is on file, never what it is: that takes a disclosure.
        "reporter": facts.reporter,
        "assignee": {"id": case.assignee_id, "name": case.assignee_name} if case.assignee_id else None,
        "proposal": {**_finding(case.proposal), "proposed_by": case.proposed_by} if case.proposal else None,
        "finding": {**_finding(case.finding), "proposed_by": case.finding.proposed_by,
                    "confirmed_by": case.finding.actor.get("id")} if case.finding else None,
        "dismissal": {"reason": case.dismissal.reason, "note": case.dismissal.note,
                      "duplicate_of": case.dismissal.duplicate_of} if case.dismissal else None,
        "sanction": {"sanction_type": case.sanction.sanction_type,
                     "decree_number": case.sanction.decree_number,
                     "decree_date": case.sanction.decree_date, "note": case.sanction.note}
        if case.sanction else None,
        "evidence": [{"evidence_id": e.evidence_id, "sha256": e.sha256, "size": e.size,
                      "content_type": e.content_type, "received_at": e.received_at,
                      "width": e.width, "height": e.height, "perceptual_hash": e.perceptual_hash,
                      # who of the team handed it in (decision 0025); none: it came with the complaint
                      "added_by": None if e.actor.get("id") == ev.SYSTEM["id"] else e.actor.get("id")}
                     for e in case.evidence],
        # BKPPD's decree (SK) as a PDF: evidence keeps the file under custody; the case its digest.
        "decrees": [{"decree_id": d.decree_id, "sha256": d.sha256, "size": d.size, "pages": d.pages,
                     "received_at": d.received_at, "by": d.actor.get("id")} for d in case.decrees],
        "rejected_uploads": [{"upload_id": r.upload_id, "reason_code": r.reason_code}
                             for r in case.rejected_uploads],
        "conversation": [
            {"message_id": m.message_id,
             "author": "team" if m.type == "clarification_requested" else "reporter",
             "body": getattr(m, "question", None) or getattr(m, "body", None)}
            for m in case.conversation],
        "disclosures": _disclosures(case),
        "retention": _retention(case),
        "links": links,
        # What changed the case; who looked at it (a screenshot, the SK, the identity) is its access
        # log: a view changes nothing a member decides on (usecases/cases._seen lets it pass).
        "timeline": [{"version": e.version, "type": e.event_type, "at": e.recorded_at,
                      "actor": e.event.actor, "status": e.metadata.get("status")}
                     for e in history if e.event_type not in ev.VIEWS],
        "access_log": [{"type": e.event_type, "at": e.recorded_at, "actor": e.event.actor, **_viewer(e.event)}
                       for e in history if e.event_type in ev.VIEWS],
    }


def _takes_screenshots_from(case: Case, member: TeamMember) -> bool:
    if not may(member.role, "add_screenshot"):
        return False
    try:
        case.require_takes_screenshots(member.as_actor())
    except DomainError:
        return False
    return True


def _viewer(event: ev.CaseEvent) -> dict:
    """A view of a screenshot is recorded by the system for a member: who looked, at which copy, why."""
    if not isinstance(event, ev.EvidenceViewed):
        return {}
    return {"viewer": {"id": event.member_id, "role": event.member_role}, "copy": event.copy,
            "purpose": event.purpose}


def _finding(finding) -> dict:
    return {"finding": finding.finding, "legal_basis": finding.legal_basis,
            "sanction_level": finding.sanction_level}
