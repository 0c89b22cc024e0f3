"""Error texts made safe to keep and to show: no e-mail address (a refused reporter's above
all), no credentials in a URL, no configured secret. What stays is the code and the words."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ADDRESS = "[address]"
CREDENTIALS = "[credentials]"
WITHHELD = "[withheld]"

# Loose on purpose: anything shaped like local@domain, also percent-encoded (%40) in a URL.
_EMAIL = re.compile(r"[\w.!#$%&*+/=?^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*", re.IGNORECASE)
_URL_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)
# Shorter secrets would blank out ordinary words of an error text.
_MIN_SECRET = 4


def redact(text: str, addresses=(), secrets=()) -> str:
    """`text` with e-mail addresses, the given addresses (and their local parts), URL
    credentials and the given secrets replaced by placeholders."""
    for secret in sorted((s for s in secrets if s and len(s) >= _MIN_SECRET), key=len, reverse=True):
        text = re.sub(re.escape(secret), WITHHELD, text, flags=re.IGNORECASE)
    text = _URL_USERINFO.sub(lambda m: f"{m.group(1)}{CREDENTIALS}@", text)
    for address in (a for a in addresses if a):
        text = re.sub(re.escape(address), ADDRESS, text, flags=re.IGNORECASE)
        local = address.partition("@")[0]
        if len(local) >= _MIN_SECRET:
            text = re.sub(re.escape(local), ADDRESS, text, flags=re.IGNORECASE)
    return _EMAIL.sub(ADDRESS, text)


def safe_url(url: str | None) -> str:
    """Where a URL points (scheme, host, port), without credentials, path, query or fragment,
    any of which may carry a token."""
    if not url:
        return "(no location given)"
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(a location that is not a valid URL)"
    if not parts.scheme or not parts.hostname:
        return "a path on the same server"
    return f"{parts.scheme}://{parts.hostname}{port}/…"
