"""Who hears what of each event: the messages it calls for, to whom, and by which channel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from services.notify.adapters.tables import recipients, reporter_contacts
from services.notify.domain import messages
from services.notify.usecases.context import Outbound


@dataclass
class Planned:
    recipient: str
    kind: str
    message: messages.Message | None = None
    channel: str = "email"
    address: str | None = None
    address_sealed: str | None = None
    payload: dict | None = None
    queued: bool = False
    extra: dict = field(default_factory=dict)


def _members(conn, *, roles=None, user_id=None) -> list:
    query = select(recipients).where(recipients.c.active.is_(True), recipients.c.email.is_not(None))
    if roles:
        query = query.where(recipients.c.role.in_(roles))
    if user_id:
        query = query.where(recipients.c.user_id == uuid.UUID(str(user_id)))
    return conn.execute(query.order_by(recipients.c.user_id)).all()


def _to_members(conn, out: Outbound, kind: str, payload: dict, members) -> list[Planned]:
    return [Planned(f"member:{m.user_id}", kind,
                    messages.team_message(kind, payload, m.full_name, out.team_url, out.template_dir),
                    address=m.email, queued=m.notify_mode == "digest") for m in members]


def _to_reporter(conn, out: Outbound, kind: str, complaint_id) -> list[Planned]:
    if not complaint_id:
        return []
    sealed = conn.execute(select(reporter_contacts.c.sealed_contact)
                          .where(reporter_contacts.c.complaint_id == uuid.UUID(str(complaint_id)))).scalar()
    if sealed is None:
        return []  # anonymous, no e-mail given, or no consent: nothing is sent
    return [Planned(f"reporter:{complaint_id}", kind, messages.reporter_message(kind, out.portal_url, out.template_dir),
                    address_sealed=sealed)]


def plan(conn, out: Outbound, envelope) -> list[Planned]:
    p, kind = envelope.payload, envelope.type
    if kind == "case_forwarded_to_bkppd":
        dossier_url = f"{out.team_url}/api/v1/cases/{p['case_id']}/dossier.pdf"
        message = messages.bkppd_forwarded(p, dossier_url, out.template_dir)
        planned = [Planned(f"bkppd:{address}", "bkppd_forwarded", message, address=address)
                   for address in out.bkppd_emails]
        if out.webhook.enabled:
            planned.append(Planned("bkppd-webhook", "bkppd_forwarded", channel="webhook",
                                   payload={"event": "case_forwarded_to_bkppd", "event_id": str(envelope.event_id),
                                            "case": p, "dossier_url": dossier_url},
                                   message=messages.Message(message.subject, "")))
        return planned
    if kind == "case_status_changed":
        planned = []
        if p["status"] == "opened" and p.get("previous_status") is None:
            planned += _to_members(conn, out, "new_case", p, _members(conn, roles=("ketua", "sekretaris")))
        if p["status"] != "clarification_requested":  # the question has its own message
            planned += _to_reporter(conn, out, "reporter_update", p.get("complaint_id"))
        return planned
    if kind == "message_to_reporter":
        return _to_reporter(conn, out, "reporter_question", p["complaint_id"])
    if kind == "case_assigned":
        return _to_members(conn, out, "case_assigned", p, _members(conn, user_id=p["assignee_id"]))
    if kind == "reporter_reply_recorded":
        members = _members(conn, user_id=p["assignee_id"]) if p.get("assignee_id") else []
        return _to_members(conn, out, "reporter_reply", p, members or _members(conn, roles=("ketua",)))
    if kind == "case_overdue":
        members = _members(conn, roles=("ketua",))
        return [Planned(f"member:{m.user_id}", "case_overdue",
                        messages.team_message("case_overdue", p, m.full_name, out.team_url, out.template_dir),
                        address=m.email) for m in members]
    return []
