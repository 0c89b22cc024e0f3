"""What other services hear of a case: integration events derived from newly stored case events.

Only what each recipient may know leaves here: status changes and the team's words
for the reporter (intake), the forwarding (notify, for BKPPD), disclosure facts
without identity, overdue stages (notify, for the ketua).
"""

from __future__ import annotations

from datetime import datetime

from services.casework.domain import events as ev
from services.casework.domain import retention
from services.casework.domain.case import Case, Recorded


def forwarded_payload(case: Case, forwarded_at: str, checkpoint: dict | None = None) -> dict:
    facts, finding = case.opened_with, case.finding
    # The aggregate forwards only a confirmed violation, so a forwarded case always has its finding.
    assert finding is not None, f"case {case.case_id} was forwarded without a confirmed finding"
    return {
        "case_id": case.case_id,
        "case_number": facts.case_number,
        "forwarded_at": forwarded_at,
        "reported": facts.reported,
        "platform": facts.platform,
        "post_urls": facts.post_urls,
        "violation_types": facts.violation_types,
        "finding": finding.finding,
        "legal_basis": finding.legal_basis,
        "sanction_level": finding.sanction_level,
        "evidence": [{"sha256": e.sha256, "content_type": e.content_type,
                      "received_at": e.received_at} for e in case.evidence],
        # The signed checkpoint of the log taken with this forward, for BKPPD to keep (decision 0016).
        "checkpoint": checkpoint,
    }


def integration_events(case: Case, recorded: list[Recorded], checkpoint: dict | None = None,
                       due_at: datetime | None = None) -> list[tuple[str, dict]]:
    """What other services hear of the events the case just stored (`recorded`, in order); a
    forward carries `checkpoint`, the log's signed checkpoint taken with it; the last change of
    stage carries `due_at`, when the stage the case is now in is due."""
    out: list[tuple[str, dict]] = []
    facts = case.opened_with
    complaint_id = facts.complaint_id
    moved = [r for r in recorded if r.status != r.status_before]
    for r in moved:
        out.append(("case_status_changed", {
            "case_id": case.case_id, "complaint_id": complaint_id, "status": r.status,
            "previous_status": r.status_before, "changed_at": r.at.isoformat(),
            "case_number": facts.case_number, "case_version": r.version,
            "due_at": due_at.isoformat() if due_at and r is moved[-1] else None}))
    for r in recorded:
        event, when = r.event, r.at.isoformat()
        if isinstance(event, ev.ClarificationRequested):
            out.append(("message_to_reporter", {
                "case_id": case.case_id, "complaint_id": complaint_id, "message_id": event.message_id,
                "kind": "clarification", "body": event.question, "sent_at": when}))
        elif isinstance(event, ev.CaseAssigned):
            out.append(("case_assigned", {"case_id": case.case_id, "case_number": facts.case_number,
                                          "assignee_id": event.assignee_id, "assigned_at": when}))
        elif isinstance(event, ev.ReporterReplied):
            out.append(("reporter_reply_recorded", {
                "case_id": case.case_id, "case_number": facts.case_number,
                "assignee_id": case.assignee_id, "replied_at": event.replied_at}))
        elif isinstance(event, ev.ForwardedToBkppd):
            out.append(("case_forwarded_to_bkppd", forwarded_payload(case, when, checkpoint)))
        elif isinstance(event, ev.DisclosureApproved) and complaint_id:
            request = case.disclosures[event.request_id].request
            out.append(("identity_disclosed", {
                "case_id": case.case_id, "complaint_id": complaint_id,
                "disclosed_to": request.recipient_body, "approved_at": when,
                "valid_until": event.valid_until, "recipient_id": request.recipient_id,
                "case_number": facts.case_number}))
        elif isinstance(event, ev.CaseOverdue):
            out.append(("case_overdue", {
                "case_id": case.case_id, "case_number": facts.case_number,
                "stage": event.stage, "due_at": event.due_at, "marked_at": when,
                "assignee_name": case.assignee_name}))
    return out


# What changes how long a case is kept: its final decision (a dismissal, BKPPD's sanction), a hold.
_RETENTION_REASONS = {ev.CaseDismissed: "outcome", ev.SanctionDecided: "outcome",
                      ev.LegalHoldPlaced: "legal_hold", ev.LegalHoldLifted: "hold_lifted"}


def retention_events(case: Case, recorded: list[Recorded], schedule: retention.Schedule) -> list[tuple[str, dict]]:
    """case_retention_changed for the last event just stored that changed how long the case is kept
    (evidence extends its originals' locks to `keep_until`). A case held before any decision is kept
    at least the shortest period from now; its decision will say more."""
    changing = [r for r in recorded if type(r.event) in _RETENTION_REASONS]
    if not changing:
        return []
    last = changing[-1]
    until = case.keep_until(schedule) or retention.add_years(last.at, schedule.shortest_years)
    return [("case_retention_changed", {
        "case_id": case.case_id, "complaint_id": case.opened_with.complaint_id, "keep_until": until.isoformat(),
        "on_hold": case.hold is not None, "reason": _RETENTION_REASONS[type(last.event)],
        "changed_at": last.at.isoformat()})]
