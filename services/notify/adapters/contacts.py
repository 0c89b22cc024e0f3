"""Sealed addresses (a consenting reporter's e-mail, an enrolment code and where it goes): kept
sealed, opened only at the moment of sending."""

from __future__ import annotations

import base64
import json

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from services.notify.domain.retry import LocalFailure


class ContactOpener:
    def __init__(self, private_key_b64: str | None):
        self._box = SealedBox(PrivateKey(base64.b64decode(private_key_b64))) if private_key_b64 else None

    def open(self, sealed: str | None, what: str = "the reporter's sealed contact") -> dict:
        """What was sealed for notify (an "email"; for an enrolment also its "code"); LocalFailure
        (never retried) if this notify cannot open it. The reason names `what` and the cause, never
        anything of what was sealed."""
        if self._box is None:
            raise LocalFailure("NETRA_NOTIFY_PRIVATE_KEY is not set; sealed addresses cannot be opened")
        if not sealed:
            raise LocalFailure("the delivery has no address and no sealed contact")
        try:
            opened = json.loads(self._box.decrypt(base64.b64decode(sealed)))
            opened["email"]  # noqa: B018 - a sealed contact without an address is malformed
        except CryptoError:
            raise LocalFailure(f"{what} does not open with NETRA_NOTIFY_PRIVATE_KEY "
                               "(sealed for another key?)") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise LocalFailure(f"{what} is malformed ({type(exc).__name__})") from None
        return opened

    def address(self, sealed: str | None) -> str:
        return self.open(sealed)["email"]
