"""Logging in: counted per (name as typed, client) so a stranger cannot lock a member out from their
own desk, and slowed across the whole system while failures run high (docs/decisions/0006).

Nothing here depends on whether the name exists: an unknown name and a wrong password are counted,
slowed, checked (Argon2id on a decoy) and answered alike, for every number of tries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import eventlet

from netra_common.clients import client_key
from netra_common.rate_limit import LimitPolicy, wait_left
from netra_common.rate_limit_store import LimitStore
from services.casework.adapters import credentials, login_pace, member_keys, sessions
from services.casework.adapters.sessions import Session, SessionTimes
from services.casework.adapters.tables import login_limits
from services.casework.domain.accounts import DISCLOSURE_ROLES
from services.casework.domain.logins import take_turn

COUNTERS = LimitStore(login_limits)
OVERALL = "login:overall"  # every failed login, whatever the name and wherever from


class TooManyAttempts(Exception):
    """This client has guessed this name too often: it waits, whatever it sends."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class Busy(TooManyAttempts):
    """So many logins wait their turn across the system that this one should come back shortly."""


@dataclass(frozen=True)
class LoginLimits:
    secret: bytes  # keys the (name, client) counters: the table holds neither
    per_name: LimitPolicy
    overall: LimitPolicy  # failures in total before attempts take turns
    pace: timedelta  # one attempt per pace while they take turns
    longest_wait: timedelta

    @classmethod
    def from_config(cls, config: dict) -> LoginLimits:
        secret = str(config.get("NETRA_CASEWORK_CLIENT_KEY_SECRET") or "").encode()
        if not secret:
            raise ValueError("NETRA_CASEWORK_CLIENT_KEY_SECRET is not set")
        overall_window = timedelta(seconds=float(config["NETRA_LOGIN_OVERALL_WINDOW_SECONDS"]))
        return cls(
            secret=secret,
            per_name=LimitPolicy(
                allowed=int(config["NETRA_LOGIN_ALLOWED"]),
                first_wait=timedelta(seconds=float(config["NETRA_LOGIN_FIRST_WAIT_SECONDS"])),
                longest_wait=timedelta(seconds=float(config["NETRA_LOGIN_LONGEST_WAIT_SECONDS"])),
                window=timedelta(seconds=float(config["NETRA_LOGIN_WINDOW_SECONDS"]))),
            overall=LimitPolicy(allowed=int(config["NETRA_LOGIN_OVERALL_ALLOWED"]), first_wait=overall_window,
                                longest_wait=overall_window, window=overall_window),
            pace=timedelta(seconds=float(config["NETRA_LOGIN_PACE_SECONDS"])),
            longest_wait=timedelta(seconds=float(config["NETRA_LOGIN_LONGEST_QUEUE_SECONDS"])))

    def key(self, username: str, client: str) -> str:
        return client_key(self.secret, f"{client}\n{username}", "login")


def _seconds(wait: timedelta | float) -> int:
    seconds = wait.total_seconds() if isinstance(wait, timedelta) else wait
    return max(1, math.ceil(seconds))


def count_attempt(db, key: str, limits: LoginLimits, now: datetime) -> None:
    """Count the attempt before it is checked (parallel guesses cannot all slip past one check);
    refuse it unchecked while this client must wait for this name."""
    with db.engine.begin() as conn:
        state = COUNTERS.locked(conn, key, now)
        wait = wait_left(state, now)
        if wait:
            raise TooManyAttempts(_seconds(wait))
        COUNTERS.reserve(conn, key, state, limits.per_name, now)


def _wait_for_turn(db, limits: LoginLimits, now: datetime) -> None:
    """While failures in total run high, attempts are checked one per pace, in the order they came."""
    with db.engine.begin() as conn:
        if not wait_left(COUNTERS.state(conn, OVERALL), now):
            return
        next_free = login_pace.next_free_slot(conn, now)
        slot, after = take_turn(now, next_free, limits.pace, limits.longest_wait)
        if slot is None or after is None:
            raise Busy(_seconds(next_free - now - limits.longest_wait))
        login_pace.move_on(conn, after)
    eventlet.sleep(max(0.0, (slot - now).total_seconds()))


def log_in(db, limits: LoginLimits, times: SessionTimes, username: str, password: str, otp: str,
           client: str) -> tuple[str, Session] | None:
    """A new token and its session, or None (wrong name, password or code, or an account that may
    not log in). TooManyAttempts or Busy when it may not be tried now."""
    key = limits.key(username, client)
    count_attempt(db, key, limits, datetime.now(UTC))
    _wait_for_turn(db, limits, datetime.now(UTC))
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        member = credentials.check(conn, username, password, otp, now)
        if member is not None:
            COUNTERS.write(conn, key, None)  # the right person: their failures from here are forgotten
            token, session = sessions.start(conn, member.user_id, times, now)
            if member.role in DISCLOSURE_ROLES:  # their key, opened by the password, kept for this session
                private = member_keys.unlock_or_make(conn, member.user_id, password)
                if private is not None:
                    member_keys.keep_for_session(conn, token, private)
            return token, session
    with db.engine.begin() as conn:
        COUNTERS.count(conn, [OVERALL], limits.overall, now)
    return None


def prune(db, limits: LoginLimits) -> int:
    longest = max(limits.per_name.window + limits.per_name.longest_wait, limits.overall.window * 2)
    with db.engine.begin() as conn:
        sessions.drop_ended_keys(conn, datetime.now(UTC))
        return COUNTERS.prune(conn, datetime.now(UTC), longest)
