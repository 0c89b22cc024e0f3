"""Taking turns at logging in while failed logins run high across the whole system (pure).

Counting failures per (name, client) stops one client; many clients guessing a little each are
slowed by turns instead: while the total of failures is over its allowance, attempts are checked
one per `pace`, first come first served. Nobody is locked out: the right person waits their turn,
and only when the queue is longer than `longest_wait` is told to come back shortly.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def take_turn(now: datetime, next_free: datetime | None, pace: timedelta,
              longest_wait: timedelta) -> tuple[datetime | None, datetime | None]:
    """(when this attempt may be checked, the next free turn after it); (None, unchanged) if the
    queue is too long to wait in."""
    slot = max(now, next_free or now)
    if slot - now > longest_wait:
        return None, next_free
    return slot, slot + pace
