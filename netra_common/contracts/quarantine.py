"""How an upload waits in quarantine: sealed by intake to a key only evidence can open.

Whatever the object store keeps of an upload (a deleted object's bytes in a volume file, a
backup, a copy an operator made) is ciphertext. intake holds only the public half of
evidence's quarantine key pair (X25519), so not even intake can read back what it wrote.

An object is

    MAGIC | key id (8) | sealed data key (80) | nonce (12) | AES-256-GCM ciphertext and tag

The data key is random per object and sealed to the recipient's public key (libsodium sealed
box). The ciphertext's associated data is everything before it plus the object's key in the
bucket, so a ciphertext moved to another object, or given another object's sealed key, does
not open. The key id is the first 8 bytes of SHA-256 of the public key: evidence may hold
several private keys (during a rotation) and finds the right one without ids to keep in step.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.bindings import crypto_box_SEALBYTES
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

MAGIC = b"netra-q1"
KEY_ID = 8
DATA_KEY = 32
SEALED_KEY = DATA_KEY + crypto_box_SEALBYTES
NONCE = 12
HEADER = len(MAGIC) + KEY_ID + SEALED_KEY + NONCE


class NotSealed(Exception):
    """The object does not start like a sealed upload (written before sealing began, or by
    someone other than intake)."""


class UnknownKey(Exception):
    """Sealed to a key this service does not hold: a rotation is half done. Retry once the
    private key is configured; nothing is wrong with the upload."""

    def __init__(self, key_id: str):
        super().__init__(f"quarantine key {key_id} is not configured")
        self.key_id = key_id


class DoesNotOpen(Exception):
    """The object was changed, cut short, or moved from another object's key."""


def key_id_of(public_key: PublicKey) -> bytes:
    return hashlib.sha256(bytes(public_key)).digest()[:KEY_ID]


def _associated_data(header: bytes, object_key: str) -> bytes:
    return header + b"|" + object_key.encode("utf-8")


def _public_key(text: str, setting: str) -> PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != PublicKey.SIZE:
        raise ValueError(f"{setting} must be a base64 X25519 public key (32 bytes)")
    return PublicKey(raw)


class Sealer:
    """intake's half: seals uploads to evidence's public key."""

    def __init__(self, public_key_b64: str, setting: str = "NETRA_QUARANTINE_PUBLIC_KEY"):
        if not (public_key_b64 or "").strip():
            raise ValueError(f"{setting} is not set; intake cannot put uploads into quarantine")
        self._public_key = _public_key(public_key_b64, setting)
        self.key_id = key_id_of(self._public_key)

    def seal(self, plaintext: bytes, object_key: str) -> bytes:
        data_key = AESGCM.generate_key(bit_length=DATA_KEY * 8)
        header = MAGIC + self.key_id + SealedBox(self._public_key).encrypt(data_key) + os.urandom(NONCE)
        return header + AESGCM(data_key).encrypt(header[-NONCE:], plaintext,
                                                 _associated_data(header, object_key))


@dataclass(frozen=True)
class Opener:
    """evidence's half: every private key it may need, by key id."""

    keys: dict[bytes, PrivateKey] = field(repr=False)

    def __repr__(self) -> str:
        return f"Opener(key_ids={sorted(k.hex() for k in self.keys)})"

    @classmethod
    def parse(cls, private_keys_b64: str, setting: str = "NETRA_QUARANTINE_PRIVATE_KEYS") -> Opener:
        """Comma-separated base64 private keys, current and earlier ones, in any order."""
        keys = {}
        for part in filter(None, (p.strip() for p in (private_keys_b64 or "").split(","))):
            try:
                raw = base64.b64decode(part, validate=True)
            except ValueError:
                raw = b""
            if len(raw) != PrivateKey.SIZE:
                raise ValueError(f"{setting} must list base64 X25519 private keys (32 bytes each)")
            private = PrivateKey(raw)
            keys[key_id_of(private.public_key)] = private
        if not keys:
            raise ValueError(f"{setting} is not set; evidence cannot open quarantined uploads")
        return cls(keys)

    def open(self, blob: bytes, object_key: str) -> bytes:
        if not blob.startswith(MAGIC):
            raise NotSealed(object_key)
        if len(blob) < HEADER + 16:
            raise DoesNotOpen("too short")
        header = blob[:HEADER]
        key_id = header[len(MAGIC):len(MAGIC) + KEY_ID]
        if key_id not in self.keys:
            raise UnknownKey(key_id.hex())
        sealed_key = header[len(MAGIC) + KEY_ID:len(MAGIC) + KEY_ID + SEALED_KEY]
        try:
            data_key = SealedBox(self.keys[key_id]).decrypt(sealed_key)
            return AESGCM(data_key).decrypt(header[-NONCE:], blob[HEADER:], _associated_data(header, object_key))
        except (CryptoError, InvalidTag, ValueError):
            raise DoesNotOpen(object_key) from None


def new_key_pair() -> tuple[str, str]:
    """(private, public), base64: a fresh quarantine key pair."""
    private = PrivateKey.generate()
    return base64.b64encode(bytes(private)).decode(), base64.b64encode(bytes(private.public_key)).decode()
