"""The case key store (docs/decisions/0037): one random key per complaint, in a schema of its own,
that wraps the reporter's sealed identity and sealed contact wherever they are kept.

The inner boxes stay sealed to the long-lived keys (the vault's, notify's); the case key is the
one a purge destroys. Once its row is gone, no key left anywhere (nor any backup of the data,
which never holds this schema's rows) opens what it wrapped. Keys are never logged.

Wrapped format: MAGIC + the key's id (16 bytes) + a SecretBox ciphertext (nonce included) of the
inner box. Readers tell it from an older, unwrapped box by the magic and keep reading those.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime

import nacl.secret
import nacl.utils
from nacl.exceptions import CryptoError
from sqlalchemy import Column, DateTime, LargeBinary, MetaData, Table, delete, insert, select
from sqlalchemy.dialects.postgresql import UUID

SCHEMA = "keystore"
MAGIC = b"NKW1"  # Netra key-wrapped, version 1
KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE

metadata = MetaData(schema=SCHEMA)
case_keys = Table(
    "case_keys", metadata,
    Column("key_id", UUID(as_uuid=True), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class KeyDestroyed(Exception):
    """The box was wrapped with a case key that no longer exists (its case was purged)."""


class NotWrapped(ValueError):
    """Tampered, truncated, or opened with another key: not the box that was wrapped."""


# --- the store (same connection and transaction as the caller's) ---------------------------------


def create_key(conn, key_id: uuid.UUID | None = None) -> tuple[uuid.UUID, bytes]:
    """A new random key, stored under `key_id` (the complaint's id, so a purge finds it without
    reading any box) or a new id."""
    key_id = key_id or uuid.uuid4()
    key = nacl.utils.random(KEY_BYTES)
    conn.execute(insert(case_keys).values(key_id=key_id, key=key, created_at=datetime.now(UTC)))
    return key_id, key


def key_of(conn, key_id: uuid.UUID) -> bytes | None:
    found = conn.execute(select(case_keys.c.key).where(case_keys.c.key_id == key_id)).scalar_one_or_none()
    return None if found is None else bytes(found)


def destroy(conn, key_id: uuid.UUID) -> bool:
    """The key is gone (whether there was one). What it wrapped opens no more."""
    return conn.execute(delete(case_keys).where(case_keys.c.key_id == key_id)).rowcount > 0


# --- the wrapped format ----------------------------------------------------------------------------


def wrap(key_id: uuid.UUID, key: bytes, box: bytes) -> bytes:
    return MAGIC + key_id.bytes + bytes(nacl.secret.SecretBox(key).encrypt(box))


def is_wrapped(data: bytes) -> bool:
    return data.startswith(MAGIC)


def key_id_of(data: bytes) -> uuid.UUID:
    if not is_wrapped(data) or len(data) < len(MAGIC) + 16:
        raise NotWrapped("not a wrapped box")
    return uuid.UUID(bytes=data[len(MAGIC):len(MAGIC) + 16])


def unwrap(key_id: uuid.UUID, key: bytes, data: bytes) -> bytes:
    """The inner box; NotWrapped if `data` names another key or does not open with `key`."""
    if key_id_of(data) != key_id:
        raise NotWrapped("wrapped with another key")
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(data[len(MAGIC) + 16:]))
    except CryptoError:
        raise NotWrapped("does not open with its key") from None


# --- the stored form: base64 text, as the boxes have always been kept and sent ----------------------


def wrap_text(key_id: uuid.UUID, key: bytes, box_b64: str) -> str:
    return base64.b64encode(wrap(key_id, key, base64.b64decode(box_b64))).decode("ascii")


def wrapped_key_id(box_b64: str | None) -> uuid.UUID | None:
    """The case key a stored box is wrapped with, or None for an older box (or none at all)."""
    if not box_b64:
        return None
    try:
        data = base64.b64decode(box_b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key_id_of(data) if is_wrapped(data) else None


def opened(data: bytes, find_key) -> bytes:
    """The inner box of a stored box: unwrapped with its case key, which `find_key(key_id)` gives
    (None once destroyed), or the box itself when it is older than the key store. KeyDestroyed if
    its key is gone, NotWrapped if it does not open with it."""
    if not is_wrapped(data):
        return data
    key_id = key_id_of(data)
    key = find_key(key_id)
    if key is None:
        raise KeyDestroyed(str(key_id))
    return unwrap(key_id, key, data)


def open_text(conn, box_b64: str) -> str:
    """`opened` for a box kept as base64, with the key from the store on `conn`."""
    inner = opened(base64.b64decode(box_b64), lambda key_id: key_of(conn, key_id))
    return base64.b64encode(inner).decode("ascii")


def wrap_like(conn, original_b64: str, box_b64: str) -> str:
    """`box_b64` wrapped with the same case key as `original_b64` (a box sealed again from it, for
    a recipient or without the contact), so it dies with the same purge; as it is when the
    original is older than the key store. KeyDestroyed if that key is gone."""
    key_id = wrapped_key_id(original_b64)
    if key_id is None:
        return box_b64
    key = key_of(conn, key_id)
    if key is None:
        raise KeyDestroyed(str(key_id))
    return wrap_text(key_id, key, box_b64)
