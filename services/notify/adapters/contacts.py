"""Sealed addresses (a consenting reporter's e-mail, an enrolment code and where it goes): kept
sealed, opened only at the moment of sending.

A reporter's contact is also wrapped with its case's key (docs/decisions/0037): unwrapped here, at
sending, with the key the store still holds; once the case is purged no key opens it, and the
delivery fails for that stated reason. An older box (from before the key store) opens as it is."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from netra_common import keystore
from services.notify.domain.retry import LocalFailure

KeyLookup = Callable[[uuid.UUID], "bytes | None"]


class ContactKeyDestroyed(LocalFailure):
    """The case key that wrapped this contact was destroyed by its case's purge."""


def _unwrapped(sealed: str, key_of: KeyLookup | None, what: str) -> bytes:
    try:
        data = base64.b64decode(sealed)
    except (binascii.Error, ValueError):
        raise LocalFailure(f"{what} is malformed (not base64)") from None
    try:
        return keystore.opened(data, key_of or (lambda key_id: None))
    except keystore.KeyDestroyed:
        raise ContactKeyDestroyed(f"{what} cannot be opened: its case key is not in the key store, destroyed "
                                  "when the case was purged (retention period over, decision 0037), or not "
                                  "restored from the key backup") from None
    except keystore.NotWrapped:
        raise LocalFailure(f"{what} does not open with its case key (tampered?)") from None


class ContactOpener:
    def __init__(self, private_key_b64: str | None):
        self._box = SealedBox(PrivateKey(base64.b64decode(private_key_b64))) if private_key_b64 else None

    def open(self, sealed: str | None, what: str = "the reporter's sealed contact",
             key_of: KeyLookup | None = None) -> dict:
        """What was sealed for notify (an "email"; for an enrolment also its "code"); LocalFailure
        (never retried) if this notify cannot open it. The reason names `what` and the cause, never
        anything of what was sealed. `key_of` finds a case key in the key store."""
        if self._box is None:
            raise LocalFailure("NETRA_NOTIFY_PRIVATE_KEY is not set; sealed addresses cannot be opened")
        if not sealed:
            raise LocalFailure("the delivery has no address and no sealed contact")
        try:
            opened = json.loads(self._box.decrypt(_unwrapped(sealed, key_of, what)))
            opened["email"]  # noqa: B018 - a sealed contact without an address is malformed
        except CryptoError:
            raise LocalFailure(f"{what} does not open with NETRA_NOTIFY_PRIVATE_KEY "
                               "(sealed for another key?)") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise LocalFailure(f"{what} is malformed ({type(exc).__name__})") from None
        return opened

    def address(self, sealed: str | None, key_of: KeyLookup | None = None) -> str:
        return self.open(sealed, key_of=key_of)["email"]
