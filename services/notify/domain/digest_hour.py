"""When the daily digest is due (pure): once a day, at the digest hour in WIB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from netra_common.wib import WIB


def last_digest_moment(now: datetime, hour_wib: int) -> datetime:
    """The latest digest hour (WIB) at or before `now`: today's once it has struck, else
    yesterday's. A digest made at that moment holds what was queued up to it."""
    local = now.astimezone(WIB)
    moment = local.replace(hour=hour_wib, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.astimezone(UTC)


def digest_due(last_sent_at: datetime | None, moment: datetime) -> bool:
    """A member's digest is due when none was made since the latest digest moment."""
    return last_sent_at is None or last_sent_at < moment
