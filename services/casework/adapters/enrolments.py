"""One-time enrolment codes: how a person sets their own password and TOTP on an account an admin made.

A code is 256 random bits, stored only as its SHA-256 (it is too long to guess, so a fast hash
is enough), good once, until it expires; issuing a new one withdraws the account's older codes.
The TOTP secret is made when the holder first opens the code and is shown to them alone.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import insert, select, update

from services.casework.adapters.tables import enrolments


@dataclass(frozen=True)
class OpenEnrolment:
    code_hash: str
    user_id: uuid.UUID
    expires_at: datetime
    totp_secret: str | None


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def withdraw(conn, user_id: uuid.UUID, now: datetime) -> None:
    conn.execute(update(enrolments).where(enrolments.c.user_id == user_id, enrolments.c.used_at.is_(None),
                                          enrolments.c.revoked_at.is_(None)).values(revoked_at=now))


def issue(conn, user_id: uuid.UUID, valid_for: timedelta, now: datetime) -> tuple[str, datetime]:
    """A new code for the account (its older codes withdrawn): the code, to be sealed for notify at
    once and never kept, and when it expires."""
    withdraw(conn, user_id, now)
    code = secrets.token_urlsafe(32)
    expires_at = now + valid_for
    conn.execute(insert(enrolments).values(code_hash=code_hash(code), user_id=user_id, issued_at=now,
                                           expires_at=expires_at))
    return code, expires_at


def find_open(conn, code: str, now: datetime, *, lock: bool = False) -> OpenEnrolment | None:
    """The enrolment a code opens, if it is right, unused, not withdrawn and not expired."""
    query = select(enrolments).where(enrolments.c.code_hash == code_hash(code), enrolments.c.used_at.is_(None),
                                     enrolments.c.revoked_at.is_(None), enrolments.c.expires_at > now)
    row = conn.execute(query.with_for_update() if lock else query).first()
    return OpenEnrolment(row.code_hash, row.user_id, row.expires_at, row.totp_secret) if row else None


def totp_secret_for(conn, enrolment: OpenEnrolment) -> str:
    """The enrolment's TOTP secret, made on first opening and the same on every later one."""
    if enrolment.totp_secret:
        return enrolment.totp_secret
    secret = pyotp.random_base32()
    conn.execute(update(enrolments).where(enrolments.c.code_hash == enrolment.code_hash,
                                          enrolments.c.totp_secret.is_(None)).values(totp_secret=secret))
    return conn.execute(select(enrolments.c.totp_secret)
                        .where(enrolments.c.code_hash == enrolment.code_hash)).scalar_one()


def use(conn, enrolment: OpenEnrolment, now: datetime) -> None:
    conn.execute(update(enrolments).where(enrolments.c.code_hash == enrolment.code_hash).values(used_at=now))
