"""Screenshot file names, kept for the reporter alone: sealed with a key only the receipt gives.

Phones name files after people and numbers ("WhatsApp Image 2024-10-01 0812....jpeg"),
so a name can identify the reporter. intake stores it sealed (XSalsa20-Poly1305, libsodium
secretbox) under a key derived from the receipt, which intake never stores: the reporter's
status page and proof show the names again, nothing else can read them. The receipt has
125 random bits, so a fast key derivation is enough.
"""

from __future__ import annotations

import base64
import hashlib
from uuid import UUID

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

PREFIX = "sealed:v1:"


def names_key(receipt: str, complaint_id: UUID) -> bytes:
    return hashlib.blake2b(complaint_id.bytes, key=receipt.encode(), person=b"netra-filenames",
                           digest_size=SecretBox.KEY_SIZE).digest()


def seal_name(key: bytes, name: str | None) -> str | None:
    if name is None:
        return None
    return PREFIX + base64.b64encode(bytes(SecretBox(key).encrypt(name.encode()))).decode()


def open_name(key: bytes | None, stored: str | None) -> str | None:
    """The name as the reporter sent it; a name stored before sealing began is returned as it is."""
    if stored is None or not stored.startswith(PREFIX):
        return stored
    if key is None:
        return None
    try:
        return SecretBox(key).decrypt(base64.b64decode(stored[len(PREFIX):])).decode()
    except (CryptoError, ValueError):
        return None


def _with_names(proof: dict, change) -> dict:
    document = proof["proof"]
    shots = [{**s, "filename": change(s.get("filename"))} for s in document.get("screenshots", [])]
    return {**proof, "proof": {**document, "screenshots": shots}}


def seal_proof_names(key: bytes, proof: dict) -> dict:
    """The signed proof as stored: the same, with each screenshot's name sealed."""
    return _with_names(proof, lambda name: seal_name(key, name))


def open_proof_names(key: bytes, stored: dict | None) -> dict | None:
    """The signed proof exactly as it was signed (its signature holds again)."""
    return None if stored is None else _with_names(stored, lambda name: open_name(key, name))
