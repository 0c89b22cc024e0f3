"""Signed checkpoints of casework's log: taken at every forward to BKPPD and once a day, kept
beside the log (docs/decisions/0016).

A checkpoint is the log's head (global position and whole-log hash) signed with casework's key.
It is taken inside the transaction that appended the forward, so it covers that forward: the
append's advisory lock is still held, and no other append can move the head under it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from services.casework.adapters.checkpoint_signing import CheckpointSigner
from services.casework.adapters.event_store import APPEND_LOCK
from services.casework.adapters.tables import log_checkpoints, log_head

DAILY = timedelta(hours=24)


def take(conn, signer: CheckpointSigner, reason: str, *, case_id: uuid.UUID | str | None = None,
         now: datetime | None = None) -> dict | None:
    """Sign the log's head as it is in this transaction and keep the checkpoint; None while the
    log is still empty (there is nothing to vouch for)."""
    # The same lock appends take: the head read here is the last append's, not one half written.
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
    head = conn.execute(select(log_head.c.global_position, log_head.c.log_hash)
                        .where(log_head.c.id == 1)).first()
    if head is None:
        return None
    signed_at = (now or datetime.now(UTC)).astimezone(UTC)
    signed = signer.sign(global_position=head.global_position, log_hash=head.log_hash,
                         signed_at=signed_at.isoformat(timespec="seconds"))
    conn.execute(insert(log_checkpoints).values(
        global_position=head.global_position, log_hash=head.log_hash, signed_at=signed_at, reason=reason,
        case_id=uuid.UUID(str(case_id)) if case_id else None, signed=signed))
    return signed


def of_forward(conn, case_id: uuid.UUID | str) -> dict | None:
    """The checkpoint sent to BKPPD with the case's (latest) forward."""
    return conn.execute(select(log_checkpoints.c.signed)
                        .where(log_checkpoints.c.case_id == uuid.UUID(str(case_id)),
                               log_checkpoints.c.reason == "forward")
                        .order_by(log_checkpoints.c.checkpoint_id.desc()).limit(1)).scalar()


def take_daily_if_due(conn, signer: CheckpointSigner, now: datetime | None = None) -> dict | None:
    """The day's checkpoint, unless one was taken in the last 24 hours. A timer asks often, so
    a restart never skips a day; the lock makes two workers asking at once take only one."""
    now = now or datetime.now(UTC)
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('casework.daily_checkpoint', 0))"))
    last = conn.execute(select(log_checkpoints.c.signed_at).where(log_checkpoints.c.reason == "daily")
                        .order_by(log_checkpoints.c.signed_at.desc()).limit(1)).scalar()
    if last is not None and now - last < DAILY:
        return None
    return take(conn, signer, "daily", now=now)


def kept(conn) -> list[dict]:
    """Every checkpoint kept beside the log, oldest first (their signatures are checked by the reader)."""
    return list(conn.execute(select(log_checkpoints.c.signed).order_by(log_checkpoints.c.global_position,
                                                                       log_checkpoints.c.checkpoint_id))
                .scalars())
