"""Team accounts, their two factors and their bearer tokens.

Passwords are Argon2id hashes; every role also needs a TOTP code; tokens are random,
short-lived and stored only as SHA-256, so a copy of the tables lets nobody log in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from sqlalchemy import insert, select, update

from netra_common.hashing import slow_hash_matches
from services.casework.adapters.tables import sessions, users
from services.casework.domain.permissions import ROLES

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
TOTP_ISSUER = "Netra Bengkalis"


@dataclass(frozen=True)
class TeamMember:
    user_id: uuid.UUID
    username: str
    full_name: str
    role: str
    work_unit: str | None
    email: str | None = None
    active: bool = True
    notify_mode: str = "immediate"

    def as_actor(self) -> dict:
        return {"id": str(self.user_id), "role": self.role, "work_unit": self.work_unit}

    def public(self) -> dict:
        return {"user_id": self.user_id, "username": self.username, "full_name": self.full_name,
                "role": self.role, "work_unit": self.work_unit, "active": self.active}

    def own(self) -> dict:
        """What a member sees of their own account: also where and how they are notified."""
        return {**self.public(), "email": self.email, "notify_mode": self.notify_mode}


def _member(row) -> TeamMember:
    return TeamMember(row.user_id, row.username, row.full_name, row.role, row.work_unit, row.email,
                      row.active, row.notify_mode)


def otpauth_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


@dataclass(frozen=True)
class Enrolled:
    member: TeamMember
    totp_secret: str | None  # set only when a new one was made: show it once


def ensure_user(conn, *, username: str, full_name: str, role: str, password: str,
                work_unit: str | None = None, email: str | None = None, totp_secret: str | None = None,
                reset_totp: bool = False, notify_mode: str = "immediate") -> Enrolled:
    """Create the account, or reset its password, name and role if it exists. A TOTP secret
    is made for a new account (or on reset) unless one is given."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    existing = conn.execute(select(users).where(users.c.username == username)).first()
    new_secret = totp_secret or (pyotp.random_base32() if existing is None or reset_totp
                                 or not existing.totp_secret else None)
    values = {"full_name": full_name, "role": role, "password_hash": PasswordHasher().hash(password),
              "work_unit": work_unit, "email": email, "active": True, "failed_logins": 0,
              "locked_until": None, "notify_mode": notify_mode}
    if new_secret:
        values["totp_secret"] = new_secret
        if existing is None or new_secret != existing.totp_secret:
            values["totp_last_step"] = None  # a new secret: none of its codes is used yet
    if existing:
        conn.execute(update(users).where(users.c.user_id == existing.user_id).values(**values))
        user_id = existing.user_id
    else:
        user_id = uuid.uuid4()
        conn.execute(insert(users).values(user_id=user_id, username=username, **values))
    row = conn.execute(select(users).where(users.c.user_id == user_id)).one()
    return Enrolled(_member(row), new_secret if new_secret != totp_secret or existing is None else None)


@dataclass(frozen=True)
class LoginOutcome:
    """A login's result. A refusal is returned, not raised, so the failure count commits."""

    token: str | None = None
    expires_at: datetime | None = None
    member: TeamMember | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.token is not None


def _otp_step(secret: str | None, code: str | None, last_step: int | None, now: datetime) -> int | None:
    """The time step a code belongs to (one step of clock drift either way), if it is not used up.

    A code is accepted once (RFC 6238, 5.2): one seen over a shoulder or replayed from a
    captured request is worth nothing after its owner has logged in with it.
    """
    if not secret or not code:
        return None
    totp, code = pyotp.TOTP(secret), code.strip().replace(" ", "")
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > (last_step or -1) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def log_in(conn, username: str, password: str, otp: str | None, token_ttl: timedelta) -> LoginOutcome:
    """A new bearer token, or a refusal that is the same for any cause but lockout."""
    now = datetime.now(UTC)
    row = conn.execute(select(users).where(users.c.username == username).with_for_update()).first()
    password_ok = slow_hash_matches(row.password_hash if row else None, password)
    if row is None or not row.active:
        return LoginOutcome()
    if row.locked_until and row.locked_until > now:
        return LoginOutcome(locked_until=row.locked_until)
    otp_step = _otp_step(row.totp_secret, otp, row.totp_last_step, now)
    if not (password_ok and otp_step is not None):
        failed = row.failed_logins + 1
        locked_until = now + LOCKOUT if failed >= MAX_FAILED_LOGINS else None
        conn.execute(update(users).where(users.c.user_id == row.user_id)
                     .values(failed_logins=0 if locked_until else failed, locked_until=locked_until))
        return LoginOutcome(locked_until=locked_until)
    conn.execute(update(users).where(users.c.user_id == row.user_id)
                 .values(failed_logins=0, locked_until=None, totp_last_step=otp_step))
    token = secrets.token_urlsafe(32)
    expires_at = now + token_ttl
    conn.execute(insert(sessions).values(token_hash=_token_hash(token), user_id=row.user_id,
                                         expires_at=expires_at))
    return LoginOutcome(token, expires_at, _member(row))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def member_for_token(conn, token: str) -> TeamMember | None:
    now = datetime.now(UTC)
    row = conn.execute(
        select(users).join(sessions, sessions.c.user_id == users.c.user_id)
        .where(sessions.c.token_hash == _token_hash(token), sessions.c.revoked_at.is_(None),
               sessions.c.expires_at > now, users.c.active.is_(True))
    ).first()
    return _member(row) if row else None


def log_out(conn, token: str) -> None:
    conn.execute(update(sessions).where(sessions.c.token_hash == _token_hash(token))
                 .values(revoked_at=datetime.now(UTC)))


def find_member(conn, user_id) -> TeamMember | None:
    try:
        user_id = uuid.UUID(str(user_id))
    except ValueError:
        return None
    row = conn.execute(select(users).where(users.c.user_id == user_id)).first()
    return _member(row) if row else None


def all_members(conn) -> list[TeamMember]:
    return [_member(r) for r in conn.execute(select(users).order_by(users.c.role, users.c.username))]


def set_active(conn, user_id: uuid.UUID, active: bool) -> TeamMember | None:
    conn.execute(update(users).where(users.c.user_id == user_id).values(active=active))
    if not active:
        conn.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
                     .values(revoked_at=datetime.now(UTC)))
    return find_member(conn, user_id)


def set_notify_mode(conn, user_id: uuid.UUID, mode: str) -> TeamMember | None:
    conn.execute(update(users).where(users.c.user_id == user_id).values(notify_mode=mode))
    return find_member(conn, user_id)


def member_changed_payload(member: TeamMember) -> dict:
    return {"user_id": str(member.user_id), "full_name": member.full_name, "role": member.role,
            "email": member.email, "active": member.active, "notify_mode": member.notify_mode}
