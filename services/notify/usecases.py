"""notify's use cases: decide who hears what of each event, then deliver each message once per
(event, recipient, channel), retrying what failed for now and keeping what failed for good."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.logging import log_event
from services.notify.adapters import smtp, webhook
from services.notify.adapters.contacts import ContactOpener
from services.notify.adapters.tables import deliveries, recipients, reporter_contacts
from services.notify.domain import messages
from services.notify.domain.retry import RetryPolicy

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Outbound:
    smtp: smtp.SmtpSettings
    webhook: webhook.WebhookSettings
    retry: RetryPolicy
    contacts: ContactOpener
    portal_url: str
    team_url: str
    bkppd_emails: tuple[str, ...]
    digest_hour_wib: int | None = 7  # None: digests go out only by command
    template_dir: Path = TEMPLATE_DIR


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


# --- who hears what ------------------------------------------------------------------


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


def handle(db, out: Outbound, envelope) -> list[uuid.UUID]:
    """Record every message this event calls for (once, whatever the redeliveries)."""
    ids = []
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery():
            return []
        if envelope.type == "complaint_submitted":
            _remember_contact(uow, envelope.payload)
            return []
        if envelope.type == "team_member_changed":
            _remember_member(uow, envelope)
            return []
        now = datetime.now(UTC)
        for item in plan(uow.connection, out, envelope):
            delivery_id = uuid.uuid4()
            inserted = uow.execute(pg_insert(deliveries).values(
                delivery_id=delivery_id, event_id=envelope.event_id, recipient=item.recipient,
                channel="digest" if item.queued else item.channel, kind=item.kind,
                status="queued" if item.queued else "pending", address=item.address,
                address_sealed=item.address_sealed, subject=item.message.subject, body_text=item.message.text,
                body_html=item.message.html, payload=item.payload, next_attempt_at=None if item.queued else now,
                message_id=f"<{delivery_id}@netra>",
            ).on_conflict_do_nothing().returning(deliveries.c.delivery_id)).scalar()
            if inserted and not item.queued:
                ids.append(inserted)
    return ids


def _remember_contact(uow, payload: dict) -> None:
    sealed = (payload.get("reporter") or {}).get("sealed_contact")
    if sealed:
        uow.execute(pg_insert(reporter_contacts).values(complaint_id=uuid.UUID(payload["complaint_id"]),
                                                        sealed_contact=sealed).on_conflict_do_nothing())


def _remember_member(uow, envelope) -> None:
    p = envelope.payload
    row = {"user_id": uuid.UUID(p["user_id"]), "full_name": p["full_name"], "role": p["role"], "email": p["email"],
           "active": p["active"], "notify_mode": p["notify_mode"], "updated_at": envelope.occurred_at}
    stmt = pg_insert(recipients).values(**row)
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[recipients.c.user_id], set_={k: stmt.excluded[k] for k in row if k != "user_id"},
        where=recipients.c.updated_at <= stmt.excluded.updated_at))


# --- delivering ----------------------------------------------------------------------


def _send(out: Outbound, row) -> None:
    if row.channel == "webhook":
        webhook.post(out.webhook, row.payload, str(row.event_id))
        return
    address = row.address or out.contacts.address(row.address_sealed)
    smtp.send(out.smtp, smtp.build(out.smtp, address, row.subject, row.body_text, row.body_html, row.message_id))


def deliver(db, out: Outbound, delivery_id: uuid.UUID | None = None, now: datetime | None = None) -> bool:
    """Attempt one due delivery (a given one, or the oldest due); False if none was due.

    The row stays locked while the message is handed over, so two workers cannot both send it.
    """
    now = now or datetime.now(UTC)
    query = select(deliveries).where(deliveries.c.status.in_(("pending", "retrying")),
                                     deliveries.c.next_attempt_at <= now)
    if delivery_id is not None:
        query = query.where(deliveries.c.delivery_id == delivery_id)
    with db.engine.begin() as conn:
        row = conn.execute(query.order_by(deliveries.c.next_attempt_at).limit(1)
                           .with_for_update(skip_locked=True)).first()
        if row is None:
            return False
        attempts = row.attempts + 1
        try:
            _send(out, row)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded and decided on
            status, next_at, reason = out.retry.after_failure(attempts, exc, now)
            conn.execute(update(deliveries).where(deliveries.c.delivery_id == row.delivery_id).values(
                status=status, attempts=attempts, next_attempt_at=next_at, last_error=reason))
            log_event(log, f"delivery.{status}", logging.WARNING, kind=row.kind, channel=row.channel,
                      attempts=attempts, delivery_id=row.delivery_id)
            return True
        conn.execute(update(deliveries).where(deliveries.c.delivery_id == row.delivery_id).values(
            status="sent", attempts=attempts, sent_at=datetime.now(UTC), next_attempt_at=None, last_error=None))
    log_event(log, "delivery.sent", kind=row.kind, channel=row.channel, delivery_id=row.delivery_id)
    return True


def deliver_due(db, out: Outbound, limit: int = 100) -> int:
    done = 0
    while done < limit and deliver(db, out):
        done += 1
    return done


# --- digests -------------------------------------------------------------------------


def send_digests(db, out: Outbound, now: datetime | None = None, force: bool = False) -> int:
    """Once a day (at the digest hour, WIB), fold each digest member's queued news into one e-mail."""
    now = now or datetime.now(UTC)
    local = now.astimezone(messages.WIB)
    if not force and (out.digest_hour_wib is None or local.hour < out.digest_hour_wib):
        return 0
    day = f"{local.day} {messages.MONTHS[local.month - 1]} {local.year}"
    sent = 0
    with db.engine.begin() as conn:
        queued = conn.execute(select(deliveries).where(deliveries.c.status == "queued")
                              .order_by(deliveries.c.recipient, deliveries.c.created_at)
                              .with_for_update(skip_locked=True)).all()
        by_member: dict[str, list] = {}
        for row in queued:
            by_member.setdefault(row.recipient, []).append(row)
        start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        for recipient, rows in by_member.items():
            already = conn.execute(select(deliveries.c.delivery_id).where(
                deliveries.c.recipient == recipient, deliveries.c.kind == "digest",
                deliveries.c.created_at >= start_of_day)).first()
            if already and not force:
                continue  # one digest a day; the rest waits for tomorrow's
            member = conn.execute(select(recipients).where(
                recipients.c.user_id == uuid.UUID(recipient.removeprefix("member:")))).first()
            if member is None or not member.email:
                continue
            message = messages.digest(member.full_name, [(r.subject, r.body_text) for r in rows], day,
                                      out.template_dir)
            delivery_id = uuid.uuid4()
            conn.execute(pg_insert(deliveries).values(
                delivery_id=delivery_id, event_id=uuid.uuid4(),
                recipient=recipient, channel="email", kind="digest", status="pending", address=member.email,
                subject=message.subject, body_text=message.text, body_html=message.html, next_attempt_at=now,
                message_id=f"<{delivery_id}@netra>").on_conflict_do_nothing())
            conn.execute(update(deliveries).where(deliveries.c.delivery_id.in_([r.delivery_id for r in rows]))
                         .values(status="digested", sent_at=now))
            sent += 1
    return sent


# --- dead letters --------------------------------------------------------------------


def dead_letters(conn) -> list:
    return conn.execute(select(deliveries).where(deliveries.c.status == "dead")
                        .order_by(deliveries.c.created_at)).all()


def find_delivery(conn, delivery_id) -> object | None:
    return conn.execute(select(deliveries).where(deliveries.c.delivery_id == uuid.UUID(str(delivery_id)))).first()


def resend(conn, delivery_id) -> bool:
    """Give a dead letter a fresh set of attempts (after the cause was fixed)."""
    return conn.execute(update(deliveries).where(deliveries.c.delivery_id == uuid.UUID(str(delivery_id)),
                                                 deliveries.c.status == "dead")
                        .values(status="pending", attempts=0, next_attempt_at=datetime.now(UTC) - timedelta(seconds=1),
                                last_error=None)).rowcount == 1
