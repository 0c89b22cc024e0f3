"""The `Idempotency-Key` a client sends so that it may safely send a filing again (pure rules).

A client that cannot know whether its complaint or reply arrived (the connection dropped, a
503 after the commit) sends the same request again with the same key and gets the original
answer. The key is the only secret that opens the stored answer (which holds the receipt), so
it must be unguessable: at least 32 characters of `A-Z a-z 0-9 - _` (a UUID v4, or 24 random
bytes in base64url), and not obviously repetitive. Repetitiveness is estimated two ways, the
empirical entropy of its characters and how far zlib can shrink it, to refuse `aaaa…`,
`abcdabcd…` or a pattern typed twice; neither proves randomness.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter
from datetime import timedelta

HEADER = "Idempotency-Key"
PATTERN = r"^[A-Za-z0-9_-]{32,128}$"
MIN_LENGTH, MAX_LENGTH = 32, 128
# A UUID v4 estimates at 106 bits or more, 32 hex digits at 80 or more; `abab…` at 40.
MIN_ESTIMATED_BITS = 72
# zlib never shrinks 32 random characters below 34 bytes; `abcd` ten times it takes to 15.
MIN_COMPRESSED_BYTES = 30
# How long an answer is kept for a retry unless NETRA_IDEMPOTENCY_HOURS says otherwise.
DEFAULT_LIFETIME = timedelta(hours=24)

_FORM = re.compile(PATTERN)


class InvalidKey(Exception):
    """The header is there but cannot serve as a key. `reason`: form or too_predictable."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def estimated_bits(key: str) -> float:
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values())


def checked_key(header: str | None) -> str | None:
    """The key as sent, None when the request has none; InvalidKey when it cannot be one."""
    if header is None:
        return None
    if not _FORM.match(header):
        raise InvalidKey("form")
    if estimated_bits(header) < MIN_ESTIMATED_BITS or \
            len(zlib.compress(header.encode("ascii"), 9)) < MIN_COMPRESSED_BYTES:
        raise InvalidKey("too_predictable")
    return header


def request_fingerprint(kind: str, fields, files: list[tuple[str, str]]) -> bytes:
    """What makes two requests the same request: where they went (`kind`: "complaint" or
    "reply:<tracking code>"), the fields as parsed (so a client may re-encode its JSON or its
    multipart boundaries), and each file's name and SHA-256, in order."""
    def canonical(value) -> str:
        return json.dumps({"kind": kind, "fields": value, "files": [list(f) for f in files]},
                          sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)

    try:
        return canonical(fields).encode("utf-8")
    except RecursionError:
        # Nested deeper than can be written out: never a valid filing, so never one whose answer
        # is kept; the request is refused for what it is.
        return canonical("<nested too deeply>").encode("utf-8")
