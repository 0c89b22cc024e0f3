"""Rate limits kept in PostgreSQL, so every intake process enforces the same ones.

Clients are keyed by an HMAC of their address: the table never holds an IP.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.tables import rate_limits
from services.intake.domain.rate_limit import LimitPolicy, LimitState, after_event, wait_left


def client_key(secret: bytes, address: str, purpose: str) -> str:
    digest = hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{purpose}:{digest}"


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted: set[str]) -> str:
    """The caller's address: the nearest hop in X-Forwarded-For that is not a trusted proxy."""
    address = remote_addr or "unknown"
    if address in trusted and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            address = hop
            if hop not in trusted:
                break
    return address


def _state(conn, key: str, lock: bool = False) -> LimitState | None:
    query = select(rate_limits).where(rate_limits.c.key == key)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return LimitState(row.failures, row.window_started_at, row.blocked_until) if row else None


def seconds_to_wait(conn, keys: list[str]) -> int:
    """How long the caller must wait before this request may be tried (0 = go ahead)."""
    now = datetime.now(UTC)
    return math.ceil(max((wait_left(_state(conn, key), now) for key in keys), default=0.0))


def count(conn, keys: list[str], policy: LimitPolicy) -> None:
    now = datetime.now(UTC)
    for key in keys:
        state = after_event(_state(conn, key, lock=True), now, policy)
        stmt = pg_insert(rate_limits).values(key=key, failures=state.failures,
                                             window_started_at=state.window_started_at,
                                             blocked_until=state.blocked_until)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[rate_limits.c.key],
            set_={"failures": stmt.excluded.failures,
                  "window_started_at": stmt.excluded.window_started_at,
                  "blocked_until": stmt.excluded.blocked_until}))


def forget(conn, key: str) -> None:
    conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
