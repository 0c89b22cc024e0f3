"""How long a client or a tracking code must wait after failed guesses (pure policy).

Below the threshold nothing waits; from there each further failure doubles the
wait, up to a ceiling. A quiet window resets the count. Guessing a tracking code
and receipt is thereby slowed to a handful of tries an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LimitPolicy:
    allowed: int  # events in a window before waits begin
    first_wait: timedelta
    longest_wait: timedelta
    window: timedelta


@dataclass(frozen=True)
class LimitState:
    failures: int
    window_started_at: datetime
    blocked_until: datetime | None = None


def wait_left(state: LimitState | None, now: datetime) -> float:
    """Seconds still to wait, 0 if none."""
    if state is None or state.blocked_until is None or state.blocked_until <= now:
        return 0.0
    return (state.blocked_until - now).total_seconds()


def after_event(state: LimitState | None, now: datetime, policy: LimitPolicy) -> LimitState:
    """The state after one more counted event (a failed guess, or a submission)."""
    if state is None or now - state.window_started_at > policy.window:
        state = LimitState(0, now)
    failures = state.failures + 1
    blocked_until = state.blocked_until
    if failures > policy.allowed:
        wait = policy.first_wait * (2 ** (failures - policy.allowed - 1))
        blocked_until = now + min(wait, policy.longest_wait)
    return LimitState(failures, state.window_started_at, blocked_until)
