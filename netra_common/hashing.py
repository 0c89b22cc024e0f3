"""Argon2id for secrets people hold (receipts, passwords): slow on purpose, so off the hub.

Hashing runs in eventlet's thread pool, so one login cannot stall the other
workers; a missing hash is checked against a decoy, so "unknown" takes as long
as "wrong" and timing tells an attacker nothing.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
_DECOY = _hasher.hash("decoy-secret-never-issued")


def slow_hash(secret: str) -> str:
    return tpool.execute(_hasher.hash, secret)


def slow_hash_matches(stored_hash: str | None, secret: str) -> bool:
    try:
        return tpool.execute(_hasher.verify, stored_hash or _DECOY, secret)
    except (VerificationError, InvalidHashError):
        return False
