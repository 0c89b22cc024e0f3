"""How casework shows cases to the team (JSON): the work queue, search, the case file."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from services.casework.adapters.cases import Entry
from services.casework.adapters.tables import case_links, case_list
from services.casework.domain import events as ev
from services.casework.domain.calendar import WorkingCalendar
from services.casework.domain.case import Case

LIST_COLUMNS = (case_list.c.case_id, case_list.c.case_number, case_list.c.status, case_list.c.source,
                case_list.c.platform, case_list.c.violation_types, case_list.c.reported_name,
                case_list.c.reported_nip, case_list.c.work_unit, case_list.c.kecamatan,
                case_list.c.assignee_id, case_list.c.assignee_name, case_list.c.evidence_count,
                case_list.c.opened_at, case_list.c.updated_at, case_list.c.due_at, case_list.c.overdue,
                case_list.c.version)
SORTS = {"opened_at": case_list.c.opened_at, "updated_at": case_list.c.updated_at,
         "due_at": case_list.c.due_at, "case_number": case_list.c.case_number,
         "status": case_list.c.status}


def _normal_sql(column):
    return func.regexp_replace(func.lower(func.trim(func.coalesce(column, ""))), r"\s+", " ", "g")


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    assignee_id: uuid.UUID | None = None
    platform: str | None = None
    violation_type: str | None = None
    work_unit: str | None = None
    kecamatan: str | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = "opened_at"
    descending: bool = True
    limit: int = 50
    offset: int = 0


def visible_to(member):
    """What a member may see of the queue: BKPPD only forwarded cases; nobody the cases of
    their own work unit (recusal)."""
    conditions = []
    if member.role == "bkppd":
        conditions.append(case_list.c.ever_forwarded.is_(True))
    if member.work_unit:
        wanted = " ".join(member.work_unit.split()).casefold()
        conditions.append(_normal_sql(case_list.c.work_unit) != wanted)
    return and_(True, *conditions)


def work_queue(conn, member, f: QueueFilter) -> dict:
    conditions = [visible_to(member)]
    for column, value in ((case_list.c.status, f.status), (case_list.c.assignee_id, f.assignee_id),
                          (case_list.c.platform, f.platform), (case_list.c.kecamatan, f.kecamatan)):
        if value is not None:
            conditions.append(column == value)
    if f.violation_type:
        conditions.append(case_list.c.violation_types.any(f.violation_type))
    if f.work_unit:
        conditions.append(func.lower(case_list.c.work_unit).contains(f.work_unit.lower()))
    if f.overdue is not None:
        conditions.append(case_list.c.overdue.is_(f.overdue))
    rank = None
    if f.q:
        query = func.websearch_to_tsquery("indonesian", f.q)
        conditions.append(or_(case_list.c.search.op("@@")(query),
                              case_list.c.case_number == f.q.strip().upper()))
        rank = func.ts_rank(case_list.c.search, query)
    where = and_(*conditions)
    order = SORTS.get(f.sort, case_list.c.opened_at)
    ordering = [rank.desc()] if rank is not None and f.sort == "relevance" else []
    ordering.append(order.desc().nulls_last() if f.descending else order.asc().nulls_last())
    rows = conn.execute(select(*LIST_COLUMNS).where(where).order_by(*ordering, case_list.c.case_id)
                        .limit(f.limit).offset(f.offset)).mappings().all()
    total = conn.execute(select(func.count()).select_from(case_list).where(where)).scalar_one()
    return {"items": [dict(r) for r in rows], "total": total, "limit": f.limit, "offset": f.offset}


def links_of(conn, case_id: uuid.UUID, member) -> list[dict]:
    rows = conn.execute(
        select(case_links.c.linked_case_id, case_links.c.reason, case_links.c.detail,
               case_list.c.case_number, case_list.c.status)
        .join(case_list, case_list.c.case_id == case_links.c.linked_case_id)
        .where(case_links.c.case_id == case_id, visible_to(member))
        .order_by(case_list.c.case_number, case_links.c.reason)).all()
    return [{"case_id": r.linked_case_id, "case_number": r.case_number, "status": r.status,
             "reason": r.reason, "detail": r.detail} for r in rows]


def _disclosures(case: Case) -> list[dict]:
    return [{"request_id": rid, "state": d.state, "recipient_id": d.request.recipient_id,
             "recipient_name": d.request.recipient_name,
             "recipient_body": d.request.recipient_body, "reason": d.request.reason,
             "requested_by": d.requested_by, "valid_until": d.valid_until, "reads": d.reads}
            for rid, d in case.disclosures.items()]


def case_file(case: Case, history: list[Entry], calendar: WorkingCalendar, links: list[dict]) -> dict:
    facts = case.facts
    return {
        "case_id": case.case_id,
        "case_number": facts.case_number,
        "version": case.version,
        "status": case.status,
        "allowed_commands": case.allowed_commands(),
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
                      "width": e.width, "height": e.height, "perceptual_hash": e.perceptual_hash}
                     for e in case.evidence],
        "rejected_uploads": [{"upload_id": r.upload_id, "reason_code": r.reason_code}
                             for r in case.rejected_uploads],
        "conversation": [
            {"message_id": m.message_id,
             "author": "team" if m.type == "clarification_requested" else "reporter",
             "body": getattr(m, "question", None) or getattr(m, "body", None)}
            for m in case.conversation],
        "disclosures": _disclosures(case),
        "links": links,
        "timeline": [{"version": e.version, "type": e.event_type, "at": e.recorded_at,
                      "actor": e.event.actor, "status": e.metadata.get("status"), **_viewer(e.event)}
                     for e in history],
    }


def _viewer(event: ev.CaseEvent) -> dict:
    """A view of a screenshot is recorded by the system for a member: who looked, at which copy, why."""
    if not isinstance(event, ev.EvidenceViewed):
        return {}
    return {"viewer": {"id": event.member_id, "role": event.member_role}, "copy": event.copy,
            "purpose": event.purpose}


def _finding(finding) -> dict:
    return {"finding": finding.finding, "legal_basis": finding.legal_basis,
            "sanction_level": finding.sanction_level}
