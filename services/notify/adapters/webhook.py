"""Webhooks as JSON with an HMAC-SHA256 signature over the timestamp and the body.

Headers: `X-Netra-Timestamp` (Unix seconds), `X-Netra-Signature: v1=<hex>` where the hex is
HMAC-SHA256(secret, "<timestamp>.<body>"), and `X-Netra-Event-Id` for de-duplication.
services/notify/verifier.py is the small verifier BKPPD's systems can use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import requests

from services.notify.domain.retry import PermanentFailure, TemporaryFailure


@dataclass(frozen=True)
class WebhookSettings:
    url: str | None
    secret: str | None
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: dict) -> WebhookSettings:
        return cls(url=config.get("NETRA_BKPPD_WEBHOOK_URL") or None,
                   secret=config.get("NETRA_BKPPD_WEBHOOK_SECRET") or None)

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.secret)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def post(settings: WebhookSettings, payload: dict, event_id: str) -> None:
    """POST the payload; raises TemporaryFailure (5xx, 429, no answer) or PermanentFailure (4xx)."""
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Netra-Timestamp": timestamp,
               "X-Netra-Signature": signature(settings.secret, timestamp, body), "X-Netra-Event-Id": event_id}
    try:
        response = requests.post(settings.url, data=body, headers=headers, timeout=settings.timeout)
    except requests.RequestException as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise TemporaryFailure(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise PermanentFailure(f"HTTP {response.status_code}: {response.text[:200]}")
