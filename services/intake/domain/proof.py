"""The proof of submission: what was filed, when, and each screenshot's SHA-256.

Signed by intake (adapters/signing.py) over the canonical JSON form below, so
anyone holding the public key can check later that it is what Netra received.
The reporter's identity is never in it: only whether one was given (sealed).
"""

from __future__ import annotations

import json

ISSUER = "Netra - Diskominfo Kabupaten Bengkalis (intake)"


def canonical_bytes(document: dict) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def proof_document(*, tracking_code: str, submitted_at: str, complaint: dict, anonymous: bool,
                   screenshots: list[dict]) -> dict:
    return {
        "version": 1,
        "issuer": ISSUER,
        "tracking_code": tracking_code,
        "submitted_at": submitted_at,
        "complaint": complaint,
        "reporter": {"anonymous": anonymous, "identity_sealed": not anonymous},
        "screenshots": [{"filename": s["filename"], "size": s["size"], "sha256": s["sha256"],
                         "content_type": s["content_type"]} for s in screenshots],
    }
