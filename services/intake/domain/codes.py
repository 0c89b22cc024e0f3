"""Tracking codes and receipts: random, unguessable, easy to read aloud over a phone.

Both use Crockford's base32 alphabet (no I, L, O, U), so 0/O and 1/I/L cannot be
confused; input is normalised the same way before it is compared.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

TRACKING_GROUPS = (4, 4, 4)  # 60 bits
RECEIPT_GROUPS = (5, 5, 5, 5, 5)  # 125 bits: enough to be kept as SHA-256 (docs/decisions/0019)
RECEIPT_PURPOSE = "receipt"  # what a receipt's hash is of (netra_common/hashing.py)


def _random_groups(groups: tuple[int, ...]) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(n)) for n in groups)


def new_tracking_code() -> str:
    return _random_groups(TRACKING_GROUPS)


def new_receipt() -> str:
    return _random_groups(RECEIPT_GROUPS)


def normalise(text: str, groups: tuple[int, ...]) -> str | None:
    """Canonical form of a code typed by a person (any case, spaces or dashes), or None."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_READ_AS)
    if len(compact) != sum(groups) or any(ch not in ALPHABET for ch in compact):
        return None
    parts, start = [], 0
    for n in groups:
        parts.append(compact[start : start + n])
        start += n
    return "-".join(parts)


def normalise_tracking_code(text: str) -> str | None:
    return normalise(text, TRACKING_GROUPS)


def normalise_receipt(text: str) -> str | None:
    return normalise(text, RECEIPT_GROUPS)
