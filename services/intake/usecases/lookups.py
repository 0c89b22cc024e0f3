"""Finding a complaint for its reporter, and the limits that make guessing useless.

A lookup is counted before its receipt is checked, in one transaction that takes the
client's and the code's counters in turn (so thirty parallel guesses cannot all pass one
check), and is given back when the receipt was right. A client that guessed too often
waits, whatever it sends. A tracking code attacked from many addresses is slowed for
guesses only: its reporter, with the right receipt, still gets in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netra_common.hashing import random_secret_matches
from netra_common.rate_limit import LimitPolicy, Reservation, wait_left
from netra_common.rate_limit_store import seconds
from services.intake.adapters import rate_limits
from services.intake.domain.codes import RECEIPT_PURPOSE
from services.intake.usecases.ports import LimitCounters, LookupStore


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Guard:
    """The limits one request is subject to. `keys` refuse the request while they wait;
    `soft_keys` (a tracking code's) only refuse wrong answers."""

    keys: list[str]
    policy: LimitPolicy
    soft_keys: tuple[str, ...] = ()


# --- filing: checked before, counted with the filing ----------------------------------


def check_not_limited(store: LookupStore, guard: Guard) -> None:
    if wait := store.seconds_to_wait(guard.keys, datetime.now(UTC)):
        raise RateLimited(wait)


def count_within(counters: LimitCounters, guard: Guard, now: datetime) -> None:
    """Count a filing inside its own unit of work, so that a kept filing is always counted and a
    failed one never is. The keys' rows stay locked until the commit, so a client's parallel
    filings take turns, and one that finds its client must now wait is refused (rolled back)."""
    states = {key: counters.locked(key, now) for key in guard.keys}
    wait = max(wait_left(state, now) for state in states.values())
    if wait:
        raise RateLimited(seconds(wait))
    for key, state in states.items():
        counters.reserve(key, state, guard.policy, now)


# --- looking a complaint up -----------------------------------------------------------


@dataclass(frozen=True)
class _Reserved:
    by_key: dict[str, Reservation]
    soft_wait: float  # how long the soft keys still had to wait when the attempt came


def _reserve(store: LookupStore, guard: Guard) -> _Reserved:
    now = datetime.now(UTC)
    with store.counters() as counters:
        states = {key: counters.locked(key, now) for key in (*guard.keys, *guard.soft_keys)}
        wait = max(wait_left(states[key], now) for key in guard.keys)
        if wait:
            raise RateLimited(seconds(wait))
        soft_wait = max((wait_left(states[key], now) for key in guard.soft_keys), default=0.0)
        return _Reserved({key: counters.reserve(key, state, guard.policy, now)
                          for key, state in states.items()}, soft_wait)


def _refund(store: LookupStore, reserved: _Reserved) -> None:
    now = datetime.now(UTC)
    with store.counters() as counters:
        for key, reservation in reserved.by_key.items():
            counters.refund(key, reservation, now)


def find_for_reporter(store: LookupStore, tracking_code: str | None, receipt: str | None, guard: Guard, slots):
    """The complaint if and only if the receipt matches, else None: the same answer, in the
    same time, for an unknown code and a wrong receipt. `slots` bounds how many receipts this
    process checks at once (a receipt kept before decision 0019 is an Argon2id hash: 64 MiB each)."""
    reserved = _reserve(store, guard)
    row = store.find_by_tracking_code(tracking_code) if tracking_code else None
    with slots:
        matches = random_secret_matches(row.receipt_hash if row else None, receipt or "", RECEIPT_PURPOSE)
    if row is not None and matches:
        _refund(store, reserved)
        return row
    if reserved.soft_wait:
        after = max(wait_left(reserved.by_key[key].after, datetime.now(UTC)) for key in guard.soft_keys)
        raise RateLimited(max(seconds(after), 1))
    return None


def prune(db, longest_window: timedelta) -> int:
    with db.engine.begin() as conn:
        return rate_limits.prune(conn, datetime.now(UTC), longest_window)
