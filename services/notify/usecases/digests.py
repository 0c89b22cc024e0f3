"""The daily digest: at the digest hour (WIB), each digest member's news queued until then, in
one e-mail. What is queued later waits for the next day's; `force` folds everything now.
The deliveries come through usecases/ports.NotifyStore."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import groupby
from typing import cast

from netra_common.logging import log_event
from netra_common.wib import WIB, day_in_words
from services.notify.domain import messages
from services.notify.domain.digest_hour import last_digest_moment
from services.notify.usecases.context import Outbound
from services.notify.usecases.ports import Delivery, DeliveryUnit, Member, NotifyStore

log = logging.getLogger(__name__)


def send_digests(store: NotifyStore, out: Outbound, now: datetime | None = None, force: bool = False) -> int:
    """Prepare the digests that are due (all, at once, with `force`); returns how many."""
    now = now or datetime.now(UTC)
    if force:
        cutoff = now
    elif out.digest_hour_wib is None:
        return 0
    else:
        cutoff = last_digest_moment(now, out.digest_hour_wib)
    made = 0
    with store.deliveries() as unit:
        queued = unit.queued_until(cutoff)
        for recipient, rows in groupby(queued, key=lambda r: r.recipient):
            made += _fold(unit, out, recipient, list(rows), now, cutoff, force)
    return made


def _unreachable(member: Member | None) -> str | None:
    if member is None:
        return "the member is not known to notify"
    if not member.active:
        return "the member's account is inactive"
    if not member.email:
        return "the member has no e-mail address"
    return None


def _fold(unit: DeliveryUnit, out: Outbound, recipient: str, rows: list[Delivery], now: datetime, cutoff: datetime,
          force: bool) -> int:
    ids = [r.delivery_id for r in rows]
    member = unit.recipients.member(recipient.removeprefix("member:"))
    problem = _unreachable(member)
    if problem or member is None or member.email is None:  # (the last two are in `problem` too)
        # Kept as dead letters, with why, rather than queued for ever.
        unit.give_up(ids, f"digest not sent: {problem}")
        log_event(log, "digest.dead", logging.WARNING, recipient=recipient, items=len(ids))
        return 0
    if not unit.claim_digest(recipient, now, cutoff, force):
        return 0
    day = day_in_words(now.astimezone(WIB))
    # A queued item is always an e-mail, with its subject and text (recording.py).
    items = [(cast(str, r.subject), cast(str, r.body_text)) for r in rows]
    message = messages.digest(member.full_name, items, day, out.template_dir)
    delivery_id = unit.add_digest(recipient, member.email, message.subject, message.text, message.html, ids, now)
    log_event(log, "digest.prepared", recipient=recipient, items=len(ids), delivery_id=delivery_id)
    return 1
