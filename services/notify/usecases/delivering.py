"""Handing each due message to the SMTP server or the webhook, and recording every attempt.

The row stays locked while the message is handed over, so two workers cannot both send it.
If the process dies after the server took the message and before the commit, the message is
sent again with the same Message-ID (docs/decisions/0003-notify-delivery-once.md). The deliveries
come through usecases/ports.NotifyStore, the hand-over through a Sender (the SMTP server and the
webhook unless a test gives another).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from netra_common.logging import log_event
from netra_common.metrics import DELIVERIES
from services.notify.adapters.senders import SmtpAndWebhook
from services.notify.domain.redact import redact
from services.notify.usecases.context import Outbound
from services.notify.usecases.ports import Delivery, DeliveryUnit, NotifyStore, Sender

log = logging.getLogger(__name__)


def _address(out: Outbound, row: Delivery, unit: DeliveryUnit) -> tuple[str | None, dict]:
    """Where the message goes, and what is filled into it only as it is sent (an enrolment code:
    stored nowhere in the clear, not even in the delivery log)."""
    if row.channel == "webhook":
        return None, {}
    if row.address:
        return row.address, {}
    if row.kind != "enrolment":
        return out.contacts.address(row.address_sealed, unit.case_key), {}
    opened = out.contacts.open(row.address_sealed, "the sealed enrolment invitation")
    return opened["email"], {"enrolment_code": str(opened.get("code", ""))}


def _filled(text: str | None, values: dict) -> str | None:
    for name, value in values.items():
        text = text.replace(f"${{{name}}}", value) if text is not None else None
    return text


def _send(sender: Sender, row: Delivery, address: str | None, values: dict) -> None:
    if row.channel == "webhook":
        sender.post_webhook(row.payload, str(row.event_id))
        return
    text = _filled(row.body_text, values)
    assert address is not None and text is not None, "an e-mail delivery has an address and a text"
    sender.send_mail(address, row.subject, text, _filled(row.body_html, values), row.message_id)


def deliver(store: NotifyStore, out: Outbound, delivery_id: uuid.UUID | None = None, now: datetime | None = None,
            sender: Sender | None = None) -> bool:
    """Attempt one due delivery (a given one, or the oldest due); False if none was due."""
    now = now or datetime.now(UTC)
    sender = sender or SmtpAndWebhook(out.smtp, out.webhook)
    with store.deliveries() as unit:
        row = unit.next_due(now, delivery_id)
        if row is None:
            return False
        attempt, address = row.attempts + 1, None
        try:
            address, values = _address(out, row, unit)
            _send(sender, row, address, values)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded and decided on
            status, next_at, reason = out.retry.after_failure(attempt, exc, now)
            # Stored and shown to operators: never the address it was for, nor a secret.
            reason = redact(reason, addresses=(address, row.address), secrets=out.secrets)
            unit.record_attempt(row, attempt, now,
                                {"status": status, "next_attempt_at": next_at, "last_error": reason})
            # The class names the cause (ContactKeyDestroyed: the case was purged); no traceback.
            log_event(log, f"delivery.{status}", logging.WARNING, kind=row.kind, channel=row.channel,
                      attempts=attempt, delivery_id=row.delivery_id, error=type(exc).__name__)
            DELIVERIES.labels(row.kind, row.channel, status).inc()
            return True
        unit.record_attempt(row, attempt, now, {"status": "sent", "sent_at": datetime.now(UTC),
                                                "next_attempt_at": None, "last_error": None})
    log_event(log, "delivery.sent", kind=row.kind, channel=row.channel, delivery_id=row.delivery_id)
    DELIVERIES.labels(row.kind, row.channel, "sent").inc()
    return True


def deliver_due(store: NotifyStore, out: Outbound, limit: int = 100, sender: Sender | None = None) -> int:
    done = 0
    while done < limit and deliver(store, out, sender=sender):
        done += 1
    return done
