"""Hashes of secrets people hold: Argon2id for the ones people choose (passwords), SHA-256 for
the ones Netra draws at random with enough entropy (receipts).

Argon2id is slow on purpose, so it runs in eventlet's thread pool and one login cannot stall the
other workers. A secret of at least 112 random bits cannot be guessed offline from a fast hash
either (OWASP ASVS 6.5.2; docs/decisions/0019): a receipt (125 bits) is kept as SHA-256, which
costs microseconds instead of 64 MiB and ~0.1 s per filing. Receipts kept before that decision
are Argon2id hashes and are still checked as such. A missing hash is checked against a decoy, so
"unknown" takes as long as "wrong" and timing tells an attacker nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from eventlet.semaphore import Semaphore

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile
_DECOY = _hasher.hash("decoy-secret-never-issued")


# Argon2id hashes running at once in one process (64 MiB and a core each); more wait their turn,
# so a burst of logins or old receipts cannot take the process's memory or every core.
_SLOW_AT_ONCE = Semaphore(int(os.environ.get("NETRA_SLOW_HASHES_AT_ONCE") or 2))


def slow_hash(secret: str) -> str:
    with _SLOW_AT_ONCE:
        return tpool.execute(_hasher.hash, secret)


def slow_hash_matches(stored_hash: str | None, secret: str) -> bool:
    try:
        with _SLOW_AT_ONCE:
            return tpool.execute(_hasher.verify, stored_hash or _DECOY, secret)
    except (VerificationError, InvalidHashError):
        return False


RANDOM_SECRET_PREFIX = "sha256$"  # noqa: S105 - the label of a hash, not a secret
_ARGON2_PREFIX = "$argon2"


def random_secret_hash(secret: str, purpose: str) -> str:
    """For a secret drawn at random with >= 112 bits only (docs/decisions/0019); `purpose` keeps a
    receipt's hash from matching the same text hashed for anything else."""
    digest = hashlib.sha256(f"netra:{purpose}:{secret}".encode()).hexdigest()
    return RANDOM_SECRET_PREFIX + digest


_RANDOM_DECOY = random_secret_hash("decoy-secret-never-issued", "decoy")


def random_secret_matches(stored_hash: str | None, secret: str, purpose: str) -> bool:
    """Whether `secret` is the one `stored_hash` was made of: SHA-256 for the ones kept since
    decision 0019, Argon2id for the ones kept before it."""
    if stored_hash is not None and stored_hash.startswith(_ARGON2_PREFIX):
        return slow_hash_matches(stored_hash, secret)
    expected = stored_hash if stored_hash and stored_hash.startswith(RANDOM_SECRET_PREFIX) else _RANDOM_DECOY
    return hmac.compare_digest(expected, random_secret_hash(secret, purpose))
