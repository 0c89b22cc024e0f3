"""Seals a reporter's identity before it is stored or sent anywhere.

The whole identity is sealed for casework's vault; the e-mail alone, when the reporter
agreed to be contacted, is sealed again for notify, which needs nothing else to write to them.
"""

from __future__ import annotations

import base64
import json

from nacl.public import PublicKey, SealedBox


def _box(public_key_b64: str, setting: str) -> SealedBox:
    if not public_key_b64:
        raise ValueError(f"{setting} is not set; intake cannot accept identities")
    return SealedBox(PublicKey(base64.b64decode(public_key_b64)))


def _seal(box: SealedBox, value: dict) -> str:
    plaintext = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(box.encrypt(plaintext)).decode("ascii")


class IdentitySealer:
    def __init__(self, vault_public_key_b64: str, notify_public_key_b64: str):
        self._vault = _box(vault_public_key_b64, "NETRA_VAULT_PUBLIC_KEY")
        self._notify = _box(notify_public_key_b64, "NETRA_NOTIFY_PUBLIC_KEY")

    def seal(self, identity: dict) -> str:
        """For the vault: only casework's private key opens it."""
        return _seal(self._vault, identity)

    def seal_contact(self, contact: dict) -> str:
        """For notify: only notify's private key opens it."""
        return _seal(self._notify, contact)
