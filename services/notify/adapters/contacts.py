"""A consenting reporter's e-mail: kept sealed, opened only at the moment of sending."""

from __future__ import annotations

import base64
import json

from nacl.public import PrivateKey, SealedBox


class ContactOpener:
    def __init__(self, private_key_b64: str | None):
        self._box = SealedBox(PrivateKey(base64.b64decode(private_key_b64))) if private_key_b64 else None

    def address(self, sealed: str) -> str:
        if self._box is None:
            raise ValueError("NETRA_NOTIFY_PRIVATE_KEY is not set; reporters cannot be written to")
        return json.loads(self._box.decrypt(base64.b64decode(sealed)))["email"]
