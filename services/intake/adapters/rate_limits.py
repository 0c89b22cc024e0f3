"""Rate limits kept in PostgreSQL, so every intake process enforces the same ones.

Clients are keyed by an HMAC of their address: the table never holds an IP. Rows whose
window and wait are over are pruned, so the table forgets who asked when.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.tables import rate_limits
from services.intake.domain.rate_limit import (
    LimitPolicy,
    LimitState,
    Reservation,
    after_event,
    after_refund,
    wait_left,
    window_start,
)


def client_key(secret: bytes, address: str, purpose: str) -> str:
    digest = hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{purpose}:{digest}"


def trusted_networks(text: str) -> tuple:
    """NETRA_TRUSTED_PROXIES: addresses or networks (CIDR), comma-separated."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted) -> str:
    """The caller's address: the nearest hop in X-Forwarded-For that is not a trusted proxy."""
    address = remote_addr or "unknown"
    if _trusted(address, trusted) and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            address = hop
            if not _trusted(hop, trusted):
                break
    return address


def _row_state(row) -> LimitState:
    return LimitState(row.failures, row.window_started_at, row.blocked_until)


def _state(conn, key: str) -> LimitState | None:
    row = conn.execute(select(rate_limits).where(rate_limits.c.key == key)).first()
    return _row_state(row) if row else None


def locked(conn, key: str, now: datetime) -> LimitState:
    """The key's state, its row locked until the transaction ends (created empty if new), so
    concurrent requests for one key take their turns."""
    stmt = pg_insert(rate_limits).values(key=key, failures=0, window_started_at=window_start(now),
                                         blocked_until=None)
    return _row_state(conn.execute(
        stmt.on_conflict_do_update(index_elements=[rate_limits.c.key], set_={"key": stmt.excluded.key})
        .returning(rate_limits.c.failures, rate_limits.c.window_started_at, rate_limits.c.blocked_until)
    ).one())


def _write(conn, key: str, state: LimitState | None) -> None:
    if state is None:
        conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
    else:
        conn.execute(update(rate_limits).where(rate_limits.c.key == key).values(
            failures=state.failures, window_started_at=state.window_started_at,
            blocked_until=state.blocked_until))


def seconds(wait: float) -> int:
    return math.ceil(wait)


def seconds_to_wait(conn, keys: list[str], now: datetime) -> int:
    """How long the caller must wait before this request may be tried (0 = go ahead)."""
    return seconds(max((wait_left(_state(conn, key), now) for key in keys), default=0.0))


def count(conn, keys: list[str], policy: LimitPolicy, now: datetime) -> None:
    for key in keys:
        _write(conn, key, after_event(locked(conn, key, now), now, policy))


def reserve(conn, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation:
    """Count an attempt on a locked key before it is tried."""
    reservation = Reservation(before=state, after=after_event(state, now, policy))
    _write(conn, key, reservation.after)
    return reservation


def refund(conn, key: str, reservation: Reservation, now: datetime) -> None:
    """Give back an attempt reserved on `key` that turned out right."""
    _write(conn, key, after_refund(locked(conn, key, now), reservation, now))


def prune(conn, now: datetime, longest_window: timedelta) -> int:
    """Forget every key whose window and wait are both over; how many were forgotten."""
    return conn.execute(delete(rate_limits).where(
        rate_limits.c.window_started_at < now - longest_window,
        or_(rate_limits.c.blocked_until.is_(None), rate_limits.c.blocked_until <= now),
    )).rowcount
