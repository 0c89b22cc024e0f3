"""Intents to put an upload into quarantine: committed before the put, taken away by the filing
that commits. One left behind names an upload whose filing never came."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from services.intake.adapters.tables import upload_intents as table


class UploadsWithdrawn(Exception):
    """The filing came so late that its uploads were already taken back out of quarantine."""


def intend(conn, keys: list[str], now: datetime) -> None:
    """Commit the intents, before anything is put: one INSERT of every key, on a connection that
    commits it as it runs (db.DatabaseHandle.one_statement)."""
    if keys:
        conn.execute(insert(table).values([{"object_key": key, "intended_at": now} for key in keys]))


def fulfil(uow, keys: list[str]) -> None:
    """In the filing's transaction: its uploads are accounted for by its records from now on."""
    if not keys:
        return
    taken = uow.execute(delete(table).where(table.c.object_key.in_(keys)).returning(table.c.object_key))
    if len(taken.all()) != len(keys):
        raise UploadsWithdrawn()


def forget(conn, keys: list[str]) -> None:
    if keys:
        conn.execute(delete(table).where(table.c.object_key.in_(keys)))


def abandoned(conn, before: datetime, limit: int) -> list[str]:
    """Intents older than `before`, locked until the transaction ends (a filing that comes now
    waits, then finds them gone); intents another process is handling are skipped."""
    return list(conn.execute(select(table.c.object_key).where(table.c.intended_at < before)
                             .order_by(table.c.intended_at).limit(limit)
                             .with_for_update(skip_locked=True)).scalars())
