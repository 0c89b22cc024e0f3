"""Bearer tokens and the sessions they open, in PostgreSQL (every casework process shares them).

A token is random and stored only as SHA-256, so a copy of the table lets nobody in. A session of
a member who may take part in a disclosure also holds their private key wrapped under a key the
token alone gives (adapters/member_keys.py), dropped when the session ends. A session
ends at logout, when its holder's account changes, after `idle` without use, or at its lifetime,
whichever comes first. Use moves the idle end on, written at most once a minute.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

from services.casework.adapters.accounts import member_of
from services.casework.adapters.tables import sessions, users
from services.casework.domain.accounts import TeamMember

# Use writes the idle end on only when it would move by more than this.
RENEW_STEP = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionTimes:
    idle: timedelta
    lifetime: timedelta


@dataclass(frozen=True)
class Session:
    member: TeamMember
    token_hash: str
    expires_at: datetime  # the absolute end
    idle_expires_at: datetime


@dataclass(frozen=True)
class Ended:
    """Why a known token no longer opens anything: idle, lifetime, logout or an account change."""

    reason: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(conn, user_id: uuid.UUID, times: SessionTimes, now: datetime) -> tuple[str, Session]:
    token = secrets.token_urlsafe(32)
    expires_at, idle_expires_at = now + times.lifetime, min(now + times.idle, now + times.lifetime)
    conn.execute(insert(sessions).values(token_hash=token_hash(token), user_id=user_id, created_at=now,
                                         expires_at=expires_at, idle_expires_at=idle_expires_at))
    row = conn.execute(select(users).where(users.c.user_id == user_id)).one()
    return token, Session(member_of(row), token_hash(token), expires_at, idle_expires_at)


# Every team request reads its session: the statement is made once (made anew at each read, it cost
# casework about 150 µs of CPU, three times what running it costs).
_FIND = (select(users, sessions.c.token_hash, sessions.c.expires_at, sessions.c.idle_expires_at,
                sessions.c.revoked_at, sessions.c.end_reason)
         .join(sessions, sessions.c.user_id == users.c.user_id)
         .where(sessions.c.token_hash == bindparam("token_hash")))


def find(conn, token: str, now: datetime) -> Session | Ended | None:
    """The live session a token opens; Ended with the reason if it has ended; None if unknown."""
    row = conn.execute(_FIND, {"token_hash": token_hash(token)}).first()
    if row is None:
        return None
    if row.revoked_at is not None:
        return Ended(row.end_reason or "logout")
    if row.expires_at <= now:
        return Ended("lifetime")
    if row.idle_expires_at <= now:
        return Ended("idle")
    if not row.active:
        return Ended("deactivated")
    return Session(member_of(row), row.token_hash, row.expires_at, row.idle_expires_at)


def needs_renewal(session: Session, times: SessionTimes, now: datetime) -> bool:
    return min(now + times.idle, session.expires_at) - session.idle_expires_at > RENEW_STEP


def renew(conn, session: Session, times: SessionTimes, now: datetime) -> datetime:
    """Move the idle end on (never past the lifetime, never back); the new idle end."""
    wanted = min(now + times.idle, session.expires_at)
    conn.execute(update(sessions).where(sessions.c.token_hash == session.token_hash,
                                        sessions.c.idle_expires_at < wanted, sessions.c.revoked_at.is_(None))
                 .values(idle_expires_at=wanted))
    return wanted


def end(conn, token: str, reason: str = "logout") -> None:
    conn.execute(update(sessions).where(sessions.c.token_hash == token_hash(token), sessions.c.revoked_at.is_(None))
                 .values(revoked_at=datetime.now(UTC), end_reason=reason, wrapped_member_key=None))


def drop_key(conn, token: str) -> None:
    """An ended session's copy of its member's key is gone (a stolen old token then opens nothing)."""
    conn.execute(update(sessions).where(sessions.c.token_hash == token_hash(token),
                                        sessions.c.wrapped_member_key.is_not(None))
                 .values(wrapped_member_key=None))


def drop_ended_keys(conn, now: datetime) -> int:
    """Every ended session's copy of its member's key, gone (the timer's sweep); how many."""
    return conn.execute(update(sessions).where(
        sessions.c.wrapped_member_key.is_not(None),
        (sessions.c.expires_at <= now) | (sessions.c.idle_expires_at <= now) | sessions.c.revoked_at.is_not(None))
        .values(wrapped_member_key=None)).rowcount


def end_all(conn, user_id: uuid.UUID, reason: str) -> int:
    """End every live session of the account at once (its role, password, TOTP or e-mail changed,
    or it was deactivated); how many were ended."""
    return conn.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
                        .values(revoked_at=datetime.now(UTC), end_reason=reason, wrapped_member_key=None)).rowcount


def end_others(conn, user_id: uuid.UUID, keep_token: str, reason: str) -> int:
    """End every live session of the account but the one that made the change (its member just
    proved their password and a one-time code); how many were ended."""
    return conn.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None),
                                               sessions.c.token_hash != token_hash(keep_token))
                        .values(revoked_at=datetime.now(UTC), end_reason=reason, wrapped_member_key=None)).rowcount
