"""Which quarantined uploads may go.

An upload whose outcome evidence has recorded (stored encrypted, or rejected) is a raw copy
with EXIF and GPS that nobody needs any more: it goes whatever its age. One evidence knows
nothing of may be on its way (its complaint_submitted held up by a bus outage, or parked in
a dead-letter queue for an operator to replay), so it stays for a long grace period; an
operator may shorten it, but below MIN_GRACE only on purpose.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_GRACE = timedelta(days=7)
MIN_GRACE = timedelta(hours=24)


def sweepable(outcome_recorded: bool, last_modified: datetime | None, now: datetime,
              grace: timedelta) -> bool:
    if outcome_recorded:
        return True
    return last_modified is not None and last_modified <= now - grace


def check_grace(grace: timedelta, force: bool = False) -> timedelta:
    if grace < MIN_GRACE and not force:
        raise ValueError(f"a grace period under {MIN_GRACE} may remove uploads still on their way")
    return grace
