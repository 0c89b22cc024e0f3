"""The one row that paces logins across the whole system while failures run high: when the next
attempt may be checked (docs/decisions/0006)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from services.casework.adapters.tables import login_pace


def next_free_slot(conn: Connection, now: datetime) -> datetime:
    """When the next attempt may be checked (`now` if no one waits), the row locked until the
    transaction ends so the attempts take their turns one by one."""
    conn.execute(pg_insert(login_pace).values(id=1, next_slot_at=now).on_conflict_do_nothing())
    return conn.execute(select(login_pace.c.next_slot_at).where(login_pace.c.id == 1).with_for_update()).scalar_one()


def move_on(conn: Connection, after: datetime) -> None:
    conn.execute(login_pace.update().where(login_pace.c.id == 1).values(next_slot_at=after))
