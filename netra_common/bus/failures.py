"""Where a message goes when its handler fails: the next retry queue, or the dead-letter queue.

Pure decisions, so they can be tested without a broker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from netra_common.bus.settings import BusSettings

ATTEMPT = "x-netra-attempt"
REASON = "x-netra-reason"
LAST_ERROR = "x-netra-last-error"
PARKED_AT = "x-netra-parked-at"
ORIGIN_QUEUE = "x-netra-origin-queue"
FIRST_FAILED_AT = "x-netra-first-failed-at"

MAX_REASON_LENGTH = 1000


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help: the message is parked at once."""


@dataclass(frozen=True)
class FailureRoute:
    action: str  # "retry" or "park"
    queue: str
    headers: dict


def attempt_of(headers: dict | None) -> int:
    try:
        return max(1, int((headers or {}).get(ATTEMPT, 1)))
    except (TypeError, ValueError):
        return 1


def _clip(text: str) -> str:
    return text if len(text) <= MAX_REASON_LENGTH else text[: MAX_REASON_LENGTH - 1] + "…"


def route_failure(
    settings: BusSettings,
    service: str,
    event_type: str,
    headers: dict | None,
    error: str,
    *,
    permanent: bool = False,
    now: datetime | None = None,
) -> FailureRoute:
    """Decide the next stop of a message whose handling failed with `error`."""
    now = now or datetime.now(UTC)
    attempt = attempt_of(headers)
    carried = {k: v for k, v in (headers or {}).items() if k.startswith("x-netra-")}
    carried.setdefault(FIRST_FAILED_AT, now.isoformat())
    carried[ORIGIN_QUEUE] = settings.queue(service, event_type)
    if not permanent and attempt < settings.max_attempts:
        delay = settings.retry_delays_ms[attempt - 1]
        carried.update({ATTEMPT: attempt + 1, LAST_ERROR: _clip(error)})
        return FailureRoute("retry", settings.retry_queue(service, event_type, delay), carried)
    if permanent:
        reason = f"rejected: {error}"
    else:
        reason = f"failed {attempt} attempts; last error: {error}"
    carried.update({ATTEMPT: attempt, REASON: _clip(reason), PARKED_AT: now.isoformat()})
    return FailureRoute("park", settings.dead_queue(service, event_type), carried)


def route_invalid(settings: BusSettings, service: str, event_type: str, headers, reason: str,
                  now: datetime | None = None) -> FailureRoute:
    """A message that breaks its contract is parked at once: no retry can fix it."""
    return route_failure(settings, service, event_type, headers, f"invalid message: {reason}",
                         permanent=True, now=now)
