"""Recording what each event calls for, once whatever the redeliveries: the members and
complaints notify must know of, and a delivery row per message planned."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from netra_common.logging import log_event
from services.notify.adapters import deliveries, recipients
from services.notify.usecases.context import Outbound
from services.notify.usecases.planning import NotKnownYet, plan

log = logging.getLogger(__name__)


def handle(db, out: Outbound, envelope) -> list[uuid.UUID]:
    """Record the event's messages and return the ids to send at once. Raises NotKnownYet
    (nothing recorded) when the event is for someone notify has not heard of yet."""
    with db.unit_of_work(cause=envelope) as uow:
        if not uow.first_delivery():
            return []
        if envelope.type == "complaint_submitted":
            _remember_complaint(uow, envelope.payload)
            return []
        if envelope.type == "team_member_changed":
            _remember_member(uow, envelope)
            return []
        try:
            planned = plan(recipients.PostgresRecipients(uow.connection), out, envelope)
        except NotKnownYet as missing:
            log_event(log, "delivery.no_recipient", logging.WARNING, event_type=envelope.type,
                      event_id=envelope.event_id, waiting_for=missing.waiting_for)
            raise
        return _record(uow, envelope, planned)


def _record(uow, envelope, planned) -> list[uuid.UUID]:
    now, ids = datetime.now(UTC), []
    for item in planned:
        delivery_id = uuid.uuid4()
        inserted = deliveries.add(
            uow.connection, delivery_id=delivery_id, event_id=envelope.event_id, recipient=item.recipient,
            channel="digest" if item.queued else item.channel, kind=item.kind,
            status="queued" if item.queued else "pending", address=item.address,
            address_sealed=item.address_sealed, subject=item.message.subject, body_text=item.message.text,
            body_html=item.message.html, payload=item.payload, next_attempt_at=None if item.queued else now,
            message_id=f"<{delivery_id}@netra>")
        if inserted and not item.queued:
            ids.append(inserted)
    return ids


def _remember_complaint(uow, payload: dict) -> None:
    """Every complaint, so that its status changes need not guess; the contact only if given."""
    sealed = (payload.get("reporter") or {}).get("sealed_contact") or None
    recipients.remember_complaint(uow.connection, payload["complaint_id"], sealed)


def _remember_member(uow, envelope) -> None:
    p = envelope.payload
    row = {"user_id": uuid.UUID(p["user_id"]), "full_name": p["full_name"], "role": p["role"], "email": p["email"],
           "active": p["active"], "notify_mode": p["notify_mode"], "updated_at": envelope.occurred_at}
    recipients.remember_member(uow.connection, row)
