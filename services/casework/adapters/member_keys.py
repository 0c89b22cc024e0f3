"""Each member's X25519 key pair, which the vault's key and disclosed identities are sealed to
(docs/decisions/0017).

The private half is stored only in a secretbox under a key Argon2id derives from the member's own
password (their own salt), so the database opens nothing without the password. At login it is
opened once and kept, for the session alone, under a key derived from the bearer token itself
(the server stores only the token's SHA-256, a different function: the hash does not give the key).
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from argon2.low_level import Type, hash_secret_raw
from eventlet import tpool
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox
from nacl.utils import random
from sqlalchemy import delete, insert, select, update

from services.casework.adapters.tables import member_keys, sessions

# RFC 9106's second recommended option (as argon2-cffi's PasswordHasher): Argon2id, 3 passes, 64 MiB.
ARGON2 = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4, "hash_len": SecretBox.KEY_SIZE, "type": Type.ID}
SESSION_KEY_PERSON = b"netra-session-k"  # BLAKE2b's personalisation: not SHA-256, the stored hash


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def _password_key(password: str, salt: bytes) -> bytes:
    return tpool.execute(hash_secret_raw, password.encode("utf-8"), salt, **ARGON2)


def _session_key(token: str) -> bytes:
    return hashlib.blake2b(token.encode("utf-8"), digest_size=SecretBox.KEY_SIZE, person=SESSION_KEY_PERSON).digest()


def public_key_of(conn, user_id: uuid.UUID) -> str | None:
    return conn.execute(select(member_keys.c.public_key).where(member_keys.c.user_id == user_id)).scalar_one_or_none()


def make(conn, user_id: uuid.UUID, password: str) -> PrivateKey:
    """A new key pair for the member, locked under their password (any earlier pair is replaced:
    what was sealed to it is lost, as the old password is not known)."""
    private, salt = PrivateKey.generate(), random(16)
    locked = SecretBox(_password_key(password, salt)).encrypt(bytes(private))
    forget(conn, user_id)
    conn.execute(insert(member_keys).values(user_id=user_id, public_key=b64(bytes(private.public_key)),
                                            salt=b64(salt), locked_private_key=b64(locked)))
    return private


def unlock(conn, user_id: uuid.UUID, password: str) -> PrivateKey | None:
    """The member's private key opened with their password; None if they have no key pair (an
    account enrolled before the vault had keys) or the password does not open it."""
    row = conn.execute(select(member_keys).where(member_keys.c.user_id == user_id)).first()
    if row is None:
        return None
    try:
        return PrivateKey(SecretBox(_password_key(password, unb64(row.salt))).decrypt(unb64(row.locked_private_key)))
    except CryptoError:
        return None


def unlock_or_make(conn, user_id: uuid.UUID, password: str) -> PrivateKey | None:
    """At login (the password was just checked): the key pair, made now for an account that had none.
    A pair the password does not open is left as it is and the session holds no key: replacing it
    would silently lose the member's vault grant and what was disclosed to them, which a ketua or
    the recovery key can still give back (docs/identity-vault.md)."""
    if public_key_of(conn, user_id) is None:
        return make(conn, user_id, password)
    return unlock(conn, user_id, password)


def relock(conn, user_id: uuid.UUID, current_password: str, new_password: str) -> PrivateKey | None:
    """The member's own password changed: the same private key, opened with the current password,
    locked again under the new one with a new salt (in the caller's transaction, beside the new
    password hash), so their vault grant and what was disclosed to them stay theirs. A member with
    no key pair yet gets one under the new password; a pair the current password does not open is
    left as it is (as at login: a ketua or the recovery key can still give the grant back). The
    private key, for the session that made the change, or None."""
    if public_key_of(conn, user_id) is None:
        return make(conn, user_id, new_password)
    private = unlock(conn, user_id, current_password)
    if private is None:
        return None
    salt = random(16)
    locked = SecretBox(_password_key(new_password, salt)).encrypt(bytes(private))
    conn.execute(update(member_keys).where(member_keys.c.user_id == user_id)
                 .values(salt=b64(salt), locked_private_key=b64(locked)))
    return private


def keep_for_session(conn, token: str, private: PrivateKey) -> None:
    wrapped = SecretBox(_session_key(token)).encrypt(bytes(private))
    conn.execute(update(sessions).where(sessions.c.token_hash == hashlib.sha256(token.encode()).hexdigest())
                 .values(wrapped_member_key=b64(wrapped)))


def from_session(conn, token: str) -> PrivateKey | None:
    """The session's member's private key, if the session holds one (the token opens it)."""
    wrapped = conn.execute(select(sessions.c.wrapped_member_key).where(
        sessions.c.token_hash == hashlib.sha256(token.encode()).hexdigest(),
        sessions.c.revoked_at.is_(None))).scalar_one_or_none()
    if not wrapped:
        return None
    try:
        return PrivateKey(SecretBox(_session_key(token)).decrypt(unb64(wrapped)))
    except CryptoError:
        return None


def forget(conn, user_id: uuid.UUID) -> None:
    """The member's key pair is gone (deactivated, enrolment reset, reset on the server)."""
    conn.execute(delete(member_keys).where(member_keys.c.user_id == user_id))
