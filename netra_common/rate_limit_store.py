"""Rate-limit counters kept in PostgreSQL, so every process of a service enforces the same ones.

Each service keeps its counters in a table of its own schema (`limit_table`) and works on it
through a `LimitStore`. Keys are HMACs (netra_common.clients): the table never holds an address
or a name someone typed. Rows whose window and wait are over are pruned, so the table forgets
who asked when.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.rate_limit import (
    LimitPolicy,
    LimitState,
    Reservation,
    after_event,
    after_refund,
    wait_left,
    window_start,
)


def limit_table(metadata: MetaData, name: str) -> Table:
    """The shape every service's counters share (one row per key)."""
    return Table(
        name,
        metadata,
        Column("key", String(100), primary_key=True),
        Column("failures", Integer, nullable=False),
        Column("window_started_at", DateTime(timezone=True), nullable=False),
        Column("blocked_until", DateTime(timezone=True), nullable=True),
    )


def seconds(wait: float) -> int:
    return math.ceil(wait)


def _row_state(row) -> LimitState:
    return LimitState(row.failures, row.window_started_at, row.blocked_until)


class LimitStore:
    """The counters in one table."""

    def __init__(self, table: Table):
        self.table = table

    def state(self, conn, key: str) -> LimitState | None:
        row = conn.execute(select(self.table).where(self.table.c.key == key)).first()
        return _row_state(row) if row else None

    def locked(self, conn, key: str, now: datetime) -> LimitState:
        """The key's state, its row locked until the transaction ends (created empty if new), so
        concurrent requests for one key take their turns."""
        t = self.table
        stmt = pg_insert(t).values(key=key, failures=0, window_started_at=window_start(now), blocked_until=None)
        return _row_state(conn.execute(
            stmt.on_conflict_do_update(index_elements=[t.c.key], set_={"key": stmt.excluded.key})
            .returning(t.c.failures, t.c.window_started_at, t.c.blocked_until)
        ).one())

    def write(self, conn, key: str, state: LimitState | None) -> None:
        """Store the key's new state; None forgets it."""
        t = self.table
        if state is None:
            conn.execute(delete(t).where(t.c.key == key))
        else:
            conn.execute(update(t).where(t.c.key == key).values(
                failures=state.failures, window_started_at=state.window_started_at,
                blocked_until=state.blocked_until))

    def seconds_to_wait(self, conn, keys: list[str], now: datetime) -> int:
        """How long the caller must wait before this request may be tried (0 = go ahead)."""
        return seconds(max((wait_left(self.state(conn, key), now) for key in keys), default=0.0))

    def count(self, conn, keys: list[str], policy: LimitPolicy, now: datetime) -> None:
        for key in keys:
            self.write(conn, key, after_event(self.locked(conn, key, now), now, policy))

    def reserve(self, conn, key: str, state: LimitState, policy: LimitPolicy, now: datetime) -> Reservation:
        """Count an attempt on a locked key before it is tried."""
        reservation = Reservation(before=state, after=after_event(state, now, policy))
        self.write(conn, key, reservation.after)
        return reservation

    def refund(self, conn, key: str, reservation: Reservation, now: datetime) -> None:
        """Give back an attempt reserved on `key` that turned out right."""
        self.write(conn, key, after_refund(self.locked(conn, key, now), reservation, now))

    def prune(self, conn, now: datetime, longest_window: timedelta) -> int:
        """Forget every key whose window and wait are both over; how many were forgotten."""
        t = self.table
        return conn.execute(delete(t).where(
            t.c.window_started_at < now - longest_window,
            or_(t.c.blocked_until.is_(None), t.c.blocked_until <= now),
        )).rowcount
