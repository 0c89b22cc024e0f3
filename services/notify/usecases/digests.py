"""The daily digest: each digest member's queued news folded into one e-mail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.notify.adapters.tables import deliveries, recipients
from services.notify.domain import messages
from services.notify.usecases.context import Outbound


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
