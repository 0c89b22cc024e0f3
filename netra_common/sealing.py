"""Sealed boxes (libsodium): a value sealed here opens only with one service's private key.

intake seals a reporter's identity for casework's vault and their e-mail for notify; casework
seals an enrolment code (and where to send it) for notify.
"""

from __future__ import annotations

import base64
import json

from nacl.public import PublicKey, SealedBox


def sealed_box(public_key_b64: str, setting: str) -> SealedBox:
    """A box for the public key in `setting`; ValueError naming the setting if it is not set."""
    if not public_key_b64:
        raise ValueError(f"{setting} is not set")
    return SealedBox(PublicKey(base64.b64decode(public_key_b64)))


def seal(box: SealedBox, value: dict) -> str:
    """`value` as JSON, sealed, in base64: only the private key's holder learns what it says."""
    plaintext = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(box.encrypt(plaintext)).decode("ascii")
