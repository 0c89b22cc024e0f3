"""A consenting reporter's e-mail: kept sealed, opened only at the moment of sending."""

from __future__ import annotations

import base64
import json

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from services.notify.domain.retry import LocalFailure


class ContactOpener:
    def __init__(self, private_key_b64: str | None):
        self._box = SealedBox(PrivateKey(base64.b64decode(private_key_b64))) if private_key_b64 else None

    def address(self, sealed: str | None) -> str:
        """The address; LocalFailure (never retried) if this notify cannot open it. The reason
        names the cause, never anything of what was sealed."""
        if self._box is None:
            raise LocalFailure("NETRA_NOTIFY_PRIVATE_KEY is not set; reporters cannot be written to")
        if not sealed:
            raise LocalFailure("the delivery has no address and no sealed contact")
        try:
            return json.loads(self._box.decrypt(base64.b64decode(sealed)))["email"]
        except CryptoError:
            raise LocalFailure("the reporter's sealed contact does not open with NETRA_NOTIFY_PRIVATE_KEY "
                               "(sealed for another key?)") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise LocalFailure(f"the reporter's sealed contact is malformed ({type(exc).__name__})") from None
