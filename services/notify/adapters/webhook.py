"""Webhooks as JSON with an HMAC-SHA256 signature over the timestamp and the body.

Headers: `X-Netra-Timestamp` (Unix seconds), `X-Netra-Signature: v1=<hex>` where the hex is
HMAC-SHA256(secret, "<timestamp>.<body>"), and `X-Netra-Event-Id` for de-duplication.
services/notify/verifier.py is the small verifier BKPPD's systems can use.

Redirects are not followed: the signed body would go wherever a 3xx points, so a redirect
is a dead letter naming where it pointed, for an operator to correct the configured URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import requests

from services.notify.domain.redact import safe_url
from services.notify.domain.retry import DeliveryRefused, LocalFailure, TemporaryFailure

# Answers that say "not now": a timeout on their side, too many requests, a server error.
TEMPORARY_STATUSES = frozenset({408, 429})


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None
    secret: str | None
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: dict) -> WebhookSettings:
        settings = cls(url=config.get("NETRA_BKPPD_WEBHOOK_URL") or None,
                       secret=config.get("NETRA_BKPPD_WEBHOOK_SECRET") or None)
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse, at start, a webhook that would go out unsigned (BKPPD could not trust it)."""
        if self.url and not self.secret:
            raise ValueError("NETRA_BKPPD_WEBHOOK_URL is set but NETRA_BKPPD_WEBHOOK_SECRET is empty: "
                             "webhooks must be signed. Set the secret shared with BKPPD, or leave the URL "
                             "empty to send BKPPD e-mail only.")

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.secret)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def classify(status: int, location: str | None = None) -> Exception | None:
    """None for a 2xx; otherwise the failure the answer means. Texts never carry the URL's
    credentials, path or query, nor the receiver's body."""
    if 200 <= status < 300:
        return None
    if status in TEMPORARY_STATUSES or status >= 500:
        return TemporaryFailure(f"HTTP {status}")
    if 300 <= status < 400:
        return DeliveryRefused(f"HTTP {status}: a redirect to {safe_url(location)}, not followed; "
                                "set NETRA_BKPPD_WEBHOOK_URL to the address that answers")
    return DeliveryRefused(f"HTTP {status}")


def post(settings: WebhookSettings, payload: dict, event_id: str) -> None:
    """POST the payload once, without following redirects; raises TemporaryFailure,
    DeliveryRefused or LocalFailure."""
    if not settings.enabled:
        raise LocalFailure("the BKPPD webhook is not configured (NETRA_BKPPD_WEBHOOK_URL and _SECRET)")
    try:
        body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError) as exc:
        raise LocalFailure(f"the webhook body cannot be built ({type(exc).__name__})") from exc
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Netra-Timestamp": timestamp,
               "X-Netra-Signature": signature(settings.secret, timestamp, body), "X-Netra-Event-Id": event_id}
    try:
        response = requests.post(settings.url, data=body, headers=headers, timeout=settings.timeout,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        # Not str(exc): requests puts the whole URL, query and all, into its messages.
        raise TemporaryFailure(f"{type(exc).__name__}: no answer from the webhook's server") from exc
    failure = classify(response.status_code, response.headers.get("Location"))
    if failure is not None:
        raise failure
