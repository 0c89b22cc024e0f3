"""intake's rate-limit counters (guessing a receipt, filing): netra_common's PostgreSQL counters
on intake's own table."""

from __future__ import annotations

from netra_common.rate_limit_store import LimitStore, seconds
from services.intake.adapters.tables import rate_limits

_store = LimitStore(rate_limits)

locked = _store.locked
seconds_to_wait = _store.seconds_to_wait
count = _store.count
reserve = _store.reserve
refund = _store.refund
prune = _store.prune

__all__ = ["count", "locked", "prune", "refund", "reserve", "seconds", "seconds_to_wait"]
