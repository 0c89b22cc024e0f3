"""How long a client (or a tracking code, or a name typed at the login) must wait after failed
guesses: pure policy, shared by intake's lookups and casework's logins.

A window lets `allowed` events through; the last of them sets a wait, and each further
one doubles it, up to a ceiling. A quiet window resets the count. Guessing a tracking code
and receipt, or a password and one-time code, is thereby slowed to a handful of tries an hour.

A guess reserves its attempt before it is checked (so parallel guesses cannot all
pass one check) and is given it back when it was right.
Windows start on the minute, not at the moment of a request: a submission's
counter must not carry the complaint's own time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LimitPolicy:
    allowed: int  # events a window lets through before the next must wait (at least 1)
    first_wait: timedelta
    longest_wait: timedelta
    window: timedelta

    def __post_init__(self):
        if self.allowed < 1:
            raise ValueError(f"a rate limit must let at least one event through, not {self.allowed}")


@dataclass(frozen=True)
class LimitState:
    failures: int
    window_started_at: datetime
    blocked_until: datetime | None = None


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def wait_left(state: LimitState | None, now: datetime) -> float:
    """Seconds still to wait, 0 if none."""
    if state is None or state.blocked_until is None or state.blocked_until <= now:
        return 0.0
    return (state.blocked_until - now).total_seconds()


def _wait(policy: LimitPolicy, doublings: int) -> timedelta:
    """The first wait doubled `doublings` times, up to the ceiling. Doubled step by step: a code
    guessed at from many addresses counts on past the ceiling, and 2**50 seconds is no timedelta."""
    wait = policy.first_wait
    for _ in range(doublings):
        if wait >= policy.longest_wait:
            break
        wait *= 2
    return min(wait, policy.longest_wait)


def after_event(state: LimitState | None, now: datetime, policy: LimitPolicy) -> LimitState:
    """The state after one more counted event (a failed guess, or a submission)."""
    if state is None or now - state.window_started_at > policy.window:
        # A new window; a wait still running is not cut short by it.
        state = LimitState(0, window_start(now), state.blocked_until if wait_left(state, now) else None)
    failures = state.failures + 1
    blocked_until = state.blocked_until
    if failures >= policy.allowed:
        # The allowed-th event is the last one a window lets through without waiting: the wait it
        # sets is what refuses the next (an event is checked against the state before it).
        blocked_until = max(now + _wait(policy, failures - policy.allowed), blocked_until or now)
    return LimitState(failures, state.window_started_at, blocked_until)


@dataclass(frozen=True)
class Reservation:
    """One attempt counted in advance: the state before it and the state it made."""

    before: LimitState | None
    after: LimitState


def after_refund(current: LimitState, reservation: Reservation, now: datetime) -> LimitState | None:
    """The state once a reserved attempt turned out right and is given back; None: forget the row.

    A wait the reservation itself began is lifted, unless another attempt has changed it since.
    """
    if current.window_started_at != reservation.after.window_started_at:
        return current  # the window has moved on: the attempt is no longer counted there
    blocked_until = current.blocked_until
    before_block = reservation.before.blocked_until if reservation.before else None
    if blocked_until == reservation.after.blocked_until != before_block:
        blocked_until = before_block
    state = LimitState(max(current.failures - 1, 0), current.window_started_at, blocked_until)
    return None if state.failures == 0 and not wait_left(state, now) else state

