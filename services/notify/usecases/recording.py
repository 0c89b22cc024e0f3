"""Recording what each event calls for, once whatever the redeliveries: the members and
complaints notify must know of, and a delivery row per message planned, through
usecases/ports.NotifyStore."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from netra_common.logging import log_event
from services.notify.usecases.context import Outbound
from services.notify.usecases.planning import NotKnownYet, Planned, plan
from services.notify.usecases.ports import NotifyStore, RecordingUnit

log = logging.getLogger(__name__)


def handle(store: NotifyStore, out: Outbound, envelope) -> list[uuid.UUID]:
    """Record the event's messages and return the ids to send at once. Raises NotKnownYet
    (nothing recorded) when the event is for someone notify has not heard of yet."""
    with store.unit_of_work(envelope) as uow:
        if not uow.first_delivery():
            return []
        if envelope.type == "complaint_submitted":
            _remember_complaint(uow, envelope.payload)
            return []
        if envelope.type == "team_member_changed":
            _remember_member(uow, envelope)
            return []
        try:
            planned = plan(uow.recipients, out, envelope)
        except NotKnownYet as missing:
            log_event(log, "delivery.no_recipient", logging.WARNING, event_type=envelope.type,
                      event_id=envelope.event_id, waiting_for=missing.waiting_for)
            raise
        return _record(uow, envelope, planned)


def _about(payload: dict, key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(payload[key])) if payload.get(key) else None
    except ValueError:
        return None


def _record(uow: RecordingUnit, envelope, planned: list[Planned]) -> list[uuid.UUID]:
    now, ids = datetime.now(UTC), []
    case_id, complaint_id = _about(envelope.payload, "case_id"), _about(envelope.payload, "complaint_id")
    for item in planned:
        delivery_id = uuid.uuid4()
        assert item.message is not None, "planning gives every message its words"
        inserted = uow.add_delivery(
            delivery_id=delivery_id, event_id=envelope.event_id, recipient=item.recipient,
            channel="digest" if item.queued else item.channel, kind=item.kind,
            status="queued" if item.queued else "pending", address=item.address,
            address_sealed=item.address_sealed, subject=item.message.subject, body_text=item.message.text,
            body_html=item.message.html, payload=item.payload, next_attempt_at=None if item.queued else now,
            message_id=f"<{delivery_id}@netra>", case_id=case_id, complaint_id=complaint_id)
        if inserted and not item.queued:
            ids.append(inserted)
    return ids


def _remember_complaint(uow: RecordingUnit, payload: dict) -> None:
    """Every complaint, so that its status changes need not guess; the contact only if given."""
    sealed = (payload.get("reporter") or {}).get("sealed_contact") or None
    uow.remember_complaint(payload["complaint_id"], sealed)


def _remember_member(uow: RecordingUnit, envelope) -> None:
    p = envelope.payload
    row = {"user_id": uuid.UUID(p["user_id"]), "full_name": p["full_name"], "role": p["role"], "email": p["email"],
           "active": p["active"], "notify_mode": p["notify_mode"], "updated_at": envelope.occurred_at}
    uow.remember_member(row)
