"""Envelope encryption of every stored copy: AES-256-GCM with a fresh data key per object,
the data key wrapped by a master key that has an id.

Both the content and the wrapped key are bound (as associated data) to the object's
record: its evidence id, which copy it is, the plaintext's SHA-256 and size, and (from
version 2 of the binding) the complaint it came with and when it was received, so a record
moved to another complaint or back-dated no longer opens. Changing the record breaks the
key's unwrapping; changing the object breaks its decryption. Rotating the master key
re-wraps data keys and never touches content.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = 12
# The binding new objects get; a record keeps the version its objects were sealed under.
AAD_VERSION = 2
DECREE_AAD_VERSION = 3  # a decree: bound to its case (a screenshot is bound to its complaint)
# A screenshot the team handed in for a case is bound to its case the same way (docs/decisions/0025).
CASE_AAD_VERSION = DECREE_AAD_VERSION


class RecordTampered(Exception):
    """The wrapped key does not open with this record: the record (or the key) was changed."""


class ContentTampered(Exception):
    """The stored bytes do not decrypt: the object was changed or replaced."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes] = field(repr=False)  # master keys never reach a log or a traceback
    active: str

    def __repr__(self) -> str:
        return f"Keyring(key_ids={sorted(self.keys)}, active={self.active!r})"

    @classmethod
    def parse(cls, keys: str, active: str) -> Keyring:
        """`keys` is "id:base64,id:base64"; `active` names the one new objects use."""
        parsed = {}
        for entry in filter(None, (part.strip() for part in (keys or "").split(","))):
            key_id, _, value = entry.partition(":")
            key = base64.b64decode(value)
            if len(key) != 32:
                raise ValueError(f"master key {key_id} must be 32 bytes (AES-256)")
            parsed[key_id] = key
        if active not in parsed:
            raise ValueError("NETRA_EVIDENCE_ACTIVE_KEY_ID must name one of NETRA_EVIDENCE_MASTER_KEYS")
        return cls(parsed, active)

    @staticmethod
    def new_key() -> str:
        return base64.b64encode(os.urandom(32)).decode()


def _utc(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def associated_data(version: int, *, evidence_id, copy: str, sha256: str, size: int,
                    complaint_id=None, received_at: datetime | None = None, case_id=None) -> bytes:
    """What an object and its wrapped key are bound to, under binding `version` (3: a decree,
    bound to its case instead of a complaint)."""
    if version == 1:  # objects sealed before complaint and time were bound
        return f"netra-evidence|{evidence_id}|{copy}|{sha256}|{size}".encode()
    if version == 2:
        if complaint_id is None or received_at is None:
            raise ValueError("binding version 2 needs the complaint and the time of receipt")
        return (f"netra-evidence/2|{evidence_id}|{copy}|{sha256}|{size}|{complaint_id}|"
                f"{_utc(received_at)}").encode()
    if version == DECREE_AAD_VERSION:
        if case_id is None or received_at is None:
            raise ValueError("binding version 3 needs the case and the time of receipt")
        return (f"netra-evidence/3|{evidence_id}|{copy}|{sha256}|{size}|case:{case_id}|"
                f"{_utc(received_at)}").encode()
    raise ValueError(f"unknown binding version {version}")


@dataclass(frozen=True)
class Sealed:
    blob: bytes  # what goes to S3: nonce || ciphertext+tag
    key_id: str
    wrapped_key: bytes  # what goes to the record: nonce || wrapped data key+tag


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)


def seal(keyring: Keyring, plaintext: bytes, aad: bytes) -> Sealed:
    data_key = AESGCM.generate_key(bit_length=256)
    return Sealed(_encrypt(data_key, plaintext, aad), keyring.active,
                  _encrypt(keyring.keys[keyring.active], data_key, aad))


def unwrap(keyring: Keyring, key_id: str, wrapped_key: bytes, aad: bytes) -> bytes:
    if key_id not in keyring.keys:
        raise RecordTampered(f"master key {key_id} is not in the keyring")
    try:
        return _decrypt(keyring.keys[key_id], wrapped_key, aad)
    except InvalidTag:
        raise RecordTampered("the data key does not open with this record") from None


def open_sealed(keyring: Keyring, key_id: str, wrapped_key: bytes, blob: bytes, aad: bytes) -> bytes:
    data_key = unwrap(keyring, key_id, wrapped_key, aad)
    try:
        return _decrypt(data_key, blob, aad)
    except (InvalidTag, ValueError):
        raise ContentTampered("the stored bytes do not decrypt") from None


def rewrap(keyring: Keyring, key_id: str, wrapped_key: bytes, aad: bytes) -> tuple[str, bytes]:
    """The data key wrapped by the active master key instead (content untouched)."""
    data_key = unwrap(keyring, key_id, wrapped_key, aad)
    return keyring.active, _encrypt(keyring.keys[keyring.active], data_key, aad)
