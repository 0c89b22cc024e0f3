"""The daily digest: at the digest hour (WIB), each digest member's news queued until then, in
one e-mail. What is queued later waits for the next day's; `force` folds everything now."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from itertools import groupby

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from netra_common.logging import log_event
from netra_common.wib import WIB, day_in_words
from services.notify.adapters.tables import deliveries, digest_runs, recipients
from services.notify.domain import messages
from services.notify.domain.digest_hour import last_digest_moment
from services.notify.usecases.context import Outbound

log = logging.getLogger(__name__)


def send_digests(db, out: Outbound, now: datetime | None = None, force: bool = False) -> int:
    """Prepare the digests that are due (all, at once, with `force`); returns how many."""
    now = now or datetime.now(UTC)
    if force:
        cutoff = now
    elif out.digest_hour_wib is None:
        return 0
    else:
        cutoff = last_digest_moment(now, out.digest_hour_wib)
    made = 0
    with db.engine.begin() as conn:
        queued = conn.execute(select(deliveries).where(deliveries.c.status == "queued",
                                                       deliveries.c.created_at <= cutoff)
                              .order_by(deliveries.c.recipient, deliveries.c.created_at)
                              .with_for_update(skip_locked=True)).all()
        for recipient, rows in groupby(queued, key=lambda r: r.recipient):
            made += _fold(conn, out, recipient, list(rows), now, cutoff, force)
    return made


def _unreachable(member) -> str | None:
    if member is None:
        return "the member is not known to notify"
    if not member.active:
        return "the member's account is inactive"
    if not member.email:
        return "the member has no e-mail address"
    return None


def _claim(conn, recipient: str, now: datetime, cutoff: datetime, force: bool) -> bool:
    """Record this digest as made; False if one was made since `cutoff` (another worker, or earlier)."""
    stmt = pg_insert(digest_runs).values(recipient=recipient, last_sent_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[digest_runs.c.recipient], set_={"last_sent_at": now},
                                      where=None if force else digest_runs.c.last_sent_at < cutoff)
    return conn.execute(stmt.returning(digest_runs.c.recipient)).first() is not None


def _fold(conn, out: Outbound, recipient: str, rows: list, now: datetime, cutoff: datetime, force: bool) -> int:
    ids = [r.delivery_id for r in rows]
    member = conn.execute(select(recipients).where(
        recipients.c.user_id == uuid.UUID(recipient.removeprefix("member:")))).first()
    problem = _unreachable(member)
    if problem:
        # Kept as dead letters, with why, rather than queued for ever.
        conn.execute(update(deliveries).where(deliveries.c.delivery_id.in_(ids))
                     .values(status="dead", last_error=f"digest not sent: {problem}", next_attempt_at=None))
        log_event(log, "digest.dead", logging.WARNING, recipient=recipient, items=len(ids))
        return 0
    if not _claim(conn, recipient, now, cutoff, force):
        return 0
    day = day_in_words(now.astimezone(WIB))
    message = messages.digest(member.full_name, [(r.subject, r.body_text) for r in rows], day, out.template_dir)
    delivery_id = uuid.uuid4()
    conn.execute(pg_insert(deliveries).values(
        delivery_id=delivery_id, event_id=uuid.uuid4(), recipient=recipient, channel="email", kind="digest",
        status="pending", address=member.email, subject=message.subject, body_text=message.text,
        body_html=message.html, next_attempt_at=func.now(), message_id=f"<{delivery_id}@netra>"))
    conn.execute(update(deliveries).where(deliveries.c.delivery_id.in_(ids)).values(status="digested", sent_at=now))
    log_event(log, "digest.prepared", recipient=recipient, items=len(ids), delivery_id=delivery_id)
    return 1
