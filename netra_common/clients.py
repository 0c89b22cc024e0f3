"""Telling clients apart without keeping their addresses: who is asking (behind trusted proxies),
and a keyed hash of it that a counter can be stored under.

Shared by intake (guessing a receipt, filing) and casework (logging in); each keeps its own secret.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress


def client_key(secret: bytes, address: str, purpose: str) -> str:
    """`purpose:` and an HMAC of `address` (or of anything that names the client and what it
    tried): the table holding the counter never holds the address itself."""
    digest = hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{purpose}:{digest}"


def trusted_networks(text: str) -> tuple:
    """NETRA_TRUSTED_PROXIES: addresses or networks (CIDR), comma-separated."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _trusted(address: str, trusted) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted) -> str:
    """The caller's address: the nearest hop in X-Forwarded-For that is not a trusted proxy."""
    address = remote_addr or "unknown"
    if _trusted(address, trusted) and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            address = hop
            if not _trusted(hop, trusted):
                break
    return address
