"""Check a Netra webhook (for BKPPD's systems). Standard library only: copy this file.

    from verifier import verify
    ok = verify(secret, request.headers["X-Netra-Timestamp"],
                request.headers["X-Netra-Signature"], request.body)

A webhook is genuine when its signature is HMAC-SHA256(secret, "<timestamp>.<body>") over
the exact bytes received, and its timestamp is recent (five minutes by default), so a
captured request cannot be replayed later. Use X-Netra-Event-Id to ignore repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 300


def verify(secret: str, timestamp: str, signature: str, body: bytes, *, now: float | None = None,
           max_age: int = MAX_AGE_SECONDS) -> bool:
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - sent) > max_age:
        return False
    expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")
