"""The deliveries table: a row per message planned (once per event, recipient and channel), each
attempt at handing it over, and the daily digests folded from the queued ones."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Row

from services.notify.adapters.tables import deliveries, delivery_attempts, digest_runs


def add(conn: Connection, **values: Any) -> uuid.UUID | None:
    """A new delivery row; None if the event already has one for this recipient and channel."""
    return conn.execute(pg_insert(deliveries).values(**values).on_conflict_do_nothing()
                        .returning(deliveries.c.delivery_id)).scalar()


def next_due(conn: Connection, now: datetime, delivery_id: uuid.UUID | None = None) -> Row | None:
    """The oldest delivery due by `now` (or the given one, if due), locked until the transaction
    ends; None if there is none (or another worker holds it)."""
    query = select(deliveries).where(deliveries.c.status.in_(("pending", "retrying")),
                                     deliveries.c.next_attempt_at <= now)
    if delivery_id is not None:
        query = query.where(deliveries.c.delivery_id == delivery_id)
    return conn.execute(query.order_by(deliveries.c.next_attempt_at).limit(1)
                        .with_for_update(skip_locked=True)).first()


def record_attempt(conn: Connection, row: Row, attempt: int, at: datetime, values: dict[str, Any]) -> None:
    """The attempt's outcome on the delivery (`values`: its status, next time, error) and in its log."""
    conn.execute(update(deliveries).where(deliveries.c.delivery_id == row.delivery_id)
                 .values(attempts=attempt, **values))
    conn.execute(insert(delivery_attempts).values(delivery_id=row.delivery_id, attempt=attempt, attempted_at=at,
                                                  outcome=values["status"], error=values["last_error"]))


def queued_until(conn: Connection, cutoff: datetime) -> list[Row]:
    """What waits for a digest, queued by `cutoff`, by recipient, locked until the transaction ends."""
    return list(conn.execute(select(deliveries).where(deliveries.c.status == "queued",
                                                      deliveries.c.created_at <= cutoff)
                             .order_by(deliveries.c.recipient, deliveries.c.created_at)
                             .with_for_update(skip_locked=True)).all())


def give_up(conn: Connection, ids: list[uuid.UUID], why: str) -> None:
    conn.execute(update(deliveries).where(deliveries.c.delivery_id.in_(ids))
                 .values(status="dead", last_error=why, next_attempt_at=None))


def claim_digest(conn: Connection, recipient: str, now: datetime, cutoff: datetime, force: bool) -> bool:
    """Record this digest as made; False if one was made since `cutoff` (another worker, or earlier)."""
    stmt = pg_insert(digest_runs).values(recipient=recipient, last_sent_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[digest_runs.c.recipient], set_={"last_sent_at": now},
                                      where=None if force else digest_runs.c.last_sent_at < cutoff)
    return conn.execute(stmt.returning(digest_runs.c.recipient)).first() is not None


def add_digest(conn: Connection, recipient: str, address: str, subject: str, text: str, html: str | None,
               folded: list[uuid.UUID], now: datetime) -> uuid.UUID:
    """The digest, due at once, and the deliveries it folds marked as digested."""
    delivery_id = uuid.uuid4()
    conn.execute(pg_insert(deliveries).values(
        delivery_id=delivery_id, event_id=uuid.uuid4(), recipient=recipient, channel="email", kind="digest",
        status="pending", address=address, subject=subject, body_text=text, body_html=html,
        next_attempt_at=func.now(), message_id=f"<{delivery_id}@netra>"))
    conn.execute(update(deliveries).where(deliveries.c.delivery_id.in_(folded))
                 .values(status="digested", sent_at=now))
    return delivery_id
