"""Dead letters in the deliveries table: what failed for good or too often, why, each attempt, and
giving them a fresh set of attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, select, update

from services.notify.adapters.tables import deliveries, delivery_attempts


def _dead(kind: str | None = None, delivery_id=None) -> list:
    conditions = [deliveries.c.status == "dead"]
    if kind:
        conditions.append(deliveries.c.kind == kind)
    if delivery_id is not None:
        conditions.append(deliveries.c.delivery_id == uuid.UUID(str(delivery_id)))
    return conditions


def dead_letters(conn, kind: str | None = None) -> list:
    return conn.execute(select(deliveries).where(*_dead(kind)).order_by(deliveries.c.created_at)).all()


def count_dead(conn, kind: str | None = None) -> int:
    return conn.execute(select(func.count()).select_from(deliveries).where(*_dead(kind))).scalar_one()


def find_delivery(conn, delivery_id) -> object | None:
    return conn.execute(select(deliveries).where(deliveries.c.delivery_id == uuid.UUID(str(delivery_id)))).first()


def attempts_of(conn, delivery_id) -> list:
    return conn.execute(select(delivery_attempts).where(delivery_attempts.c.delivery_id == uuid.UUID(str(delivery_id)))
                        .order_by(delivery_attempts.c.attempt_id)).all()


def resend(conn, delivery_id=None, *, kind: str | None = None, everything: bool = False) -> list:
    """Give dead letters (one, those of a kind, or all) a fresh set of attempts, after the cause
    was fixed; returns (delivery_id, status) of each. An item for a digest waits for the
    member's next digest again."""
    if delivery_id is None and not kind and not everything:
        raise ValueError("say which dead letters: an id, a kind, or all")
    for_digest = deliveries.c.channel == "digest"
    return conn.execute(update(deliveries).where(*_dead(kind, delivery_id)).values(
        status=case((for_digest, "queued"), else_="pending"), attempts=0, last_error=None,
        next_attempt_at=case((for_digest, None), else_=datetime.now(UTC) - timedelta(seconds=1)),
    ).returning(deliveries.c.delivery_id, deliveries.c.status)).all()
