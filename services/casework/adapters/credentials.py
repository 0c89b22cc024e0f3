"""Checking a password and a one-time code.

A name nobody has, an account not yet enrolled or deactivated, and a wrong password all cost
the same work (an Argon2id verify against a decoy, a TOTP check against a decoy secret), so
neither the answer nor its time tells an attacker which names exist.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from sqlalchemy import update

from netra_common.hashing import slow_hash, slow_hash_matches
from services.casework.adapters.accounts import find_by_username, member_of
from services.casework.adapters.tables import users
from services.casework.domain.accounts import TeamMember

_DECOY_TOTP_SECRET = pyotp.random_base32()


def hash_password(password: str) -> str:
    return slow_hash(password)


def otp_step(secret: str, code: str | None, last_step: int | None, now: datetime) -> int | None:
    """The time step a code belongs to (one step of clock drift either way), if it is not used up.

    A code is accepted once (RFC 6238, 5.2): one seen over a shoulder or replayed from a
    captured request is worth nothing after its owner has logged in with it.
    """
    if not code:
        return None
    totp, code = pyotp.TOTP(secret), code.strip().replace(" ", "")
    current = totp.timecode(now)
    matched = None
    for step in (current - 1, current, current + 1):
        # Every step is compared (no early return): the work does not depend on which one matches.
        if step > (last_step if last_step is not None else -1) and hmac.compare_digest(totp.generate_otp(step), code):
            matched = step
    return matched


def check(conn, username: str, password: str, otp: str | None, now: datetime) -> TeamMember | None:
    """The account, if the password and an unused one-time code are right and it may log in
    (enrolled, not deactivated); then the code is used up. None for every other case."""
    row = find_by_username(conn, username, lock=True)
    password_ok = slow_hash_matches(row.password_hash if row else None, password)
    secret = row.totp_secret if row is not None and row.totp_secret else _DECOY_TOTP_SECRET
    step = otp_step(secret, otp, row.totp_last_step if row is not None else None, now)
    if row is None or not row.active or row.enrolled_at is None or not password_ok or step is None:
        return None
    conn.execute(update(users).where(users.c.user_id == row.user_id).values(totp_last_step=step))
    return member_of(row)
