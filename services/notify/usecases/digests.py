"""The daily digest: at the digest hour (WIB), each digest member's news queued until then, in
one e-mail. What is queued later waits for the next day's; `force` folds everything now."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import groupby

from netra_common.logging import log_event
from netra_common.wib import WIB, day_in_words
from services.notify.adapters import deliveries, recipients
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
        queued = deliveries.queued_until(conn, cutoff)
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


def _fold(conn, out: Outbound, recipient: str, rows: list, now: datetime, cutoff: datetime, force: bool) -> int:
    ids = [r.delivery_id for r in rows]
    member = recipients.member(conn, recipient.removeprefix("member:"))
    problem = _unreachable(member)
    if problem or member is None:
        # Kept as dead letters, with why, rather than queued for ever.
        deliveries.give_up(conn, ids, f"digest not sent: {problem}")
        log_event(log, "digest.dead", logging.WARNING, recipient=recipient, items=len(ids))
        return 0
    if not deliveries.claim_digest(conn, recipient, now, cutoff, force):
        return 0
    day = day_in_words(now.astimezone(WIB))
    message = messages.digest(member.full_name, [(r.subject, r.body_text) for r in rows], day, out.template_dir)
    delivery_id = deliveries.add_digest(conn, recipient, member.email, message.subject, message.text, message.html,
                                        ids, now)
    log_event(log, "digest.prepared", recipient=recipient, items=len(ids), delivery_id=delivery_id)
    return 1
