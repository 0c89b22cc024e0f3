"""Ed25519 signatures on checkpoints of casework's log (docs/decisions/0016).

A checkpoint says "at global position P the whole log's hash was H, at time T". BKPPD keeps the
signed checkpoints it receives; anyone holding one can later show that the log still extends it.
The key is casework's own, apart from the proof-of-submission and grant keys, so each can be
rotated alone. Retired public halves stay known by key id, so a checkpoint kept for years still
verifies with the key it names.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from services.casework.signing_not_configured import SigningNotConfigured

ALGORITHM = "Ed25519"
CHECKPOINT_FIELDS = ("global_position", "log_hash", "signed_at", "key_id")


def canonical_bytes(checkpoint: dict) -> bytes:
    """What is signed: the checkpoint's fields, and nothing else, in one fixed form."""
    return json.dumps({k: checkpoint[k] for k in CHECKPOINT_FIELDS}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))


def parse_public_keys(text: str) -> list[Ed25519PublicKey]:
    """Public keys from configuration or the command line: base64, comma- or space-separated."""
    return [public_key_from_b64(part) for part in text.replace(",", " ").split()]


def new_seed_b64() -> str:
    """A fresh private key's 32-byte seed, as configuration holds it."""
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def describe(public: Ed25519PublicKey, status: str = "current") -> dict:
    return {"algorithm": ALGORITHM, "key_id": key_id(public), "status": status,
            "public_key": base64.b64encode(_raw(public)).decode()}


def verify(signed: dict, keys: list[Ed25519PublicKey]) -> bool:
    """True only for a checkpoint signed, unchanged, by one of `keys` (the one it names)."""
    try:
        checkpoint, signature = signed["checkpoint"], signed["signature"]
        by_id = {key_id(k): k for k in keys}
        public = by_id.get(signature.get("key_id"))
        if signature.get("algorithm") != ALGORITHM or public is None or checkpoint["key_id"] != signature["key_id"]:
            return False
        public.verify(base64.b64decode(signature["value"], validate=True), canonical_bytes(checkpoint))
        return True
    except (InvalidSignature, KeyError, TypeError, ValueError, AttributeError):
        return False


class CheckpointSigner:
    def __init__(self, seed_b64: str, retired: list[Ed25519PublicKey] | None = None):
        if not seed_b64:
            raise SigningNotConfigured("NETRA_CASEWORK_CHECKPOINT_KEY", "checkpoints")
        self._key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed_b64, validate=True))
        self.public = self._key.public_key()
        self.key_id = key_id(self.public)
        self.retired = [k for k in (retired or []) if key_id(k) != self.key_id]

    @property
    def keys(self) -> list[Ed25519PublicKey]:
        """Every key a checkpoint casework made may name: the current one and the retired ones."""
        return [self.public, *self.retired]

    def public_keys(self) -> dict:
        """What casework publishes: the current key (as the top-level fields) and every retired one."""
        current = describe(self.public)
        return {"algorithm": ALGORITHM, "key_id": self.key_id, "public_key": current["public_key"],
                "keys": [current, *(describe(k, "retired") for k in self.retired)]}

    def sign(self, *, global_position: int, log_hash: str, signed_at: str) -> dict:
        checkpoint = {"global_position": global_position, "log_hash": log_hash, "signed_at": signed_at,
                      "key_id": self.key_id}
        value = self._key.sign(canonical_bytes(checkpoint))
        return {"checkpoint": checkpoint,
                "signature": {"algorithm": ALGORITHM, "key_id": self.key_id,
                              "value": base64.b64encode(value).decode()}}
