"""Seals a reporter's identity before it is stored or sent anywhere.

The whole identity is sealed for casework's vault; the e-mail alone, when the reporter
agreed to be contacted, is sealed again for notify, which needs nothing else to write to them.
"""

from __future__ import annotations

from nacl.public import SealedBox

from netra_common.sealing import seal, sealed_box


def _box(public_key_b64: str, setting: str) -> SealedBox:
    try:
        return sealed_box(public_key_b64, setting)
    except ValueError:
        raise ValueError(f"{setting} is not set; intake cannot accept identities") from None


class IdentitySealer:
    def __init__(self, vault_public_key_b64: str, notify_public_key_b64: str):
        self._vault = _box(vault_public_key_b64, "NETRA_VAULT_PUBLIC_KEY")
        self._notify = _box(notify_public_key_b64, "NETRA_NOTIFY_PUBLIC_KEY")

    def seal(self, identity: dict) -> str:
        """For the vault: only casework's private key opens it."""
        return seal(self._vault, identity)

    def seal_contact(self, contact: dict) -> str:
        """For notify: only notify's private key opens it."""
        return seal(self._notify, contact)
