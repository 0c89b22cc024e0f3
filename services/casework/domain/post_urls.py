"""How cases are recognised as related: the same post URL (near-identical screenshots:
netra_common.contracts.perceptual, the rule evidence's hashes are made for)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING = ("utm_", "fbclid", "igshid", "igsh", "si", "mibextid", "ref", "__cft__", "__tn__", "s")


def _tracking(key: str) -> bool:
    return any(key == t or (t.endswith("_") and key.startswith(t)) for t in TRACKING)


def normalise_url(url: str) -> str:
    """Scheme, `www.`/`m.`, case of the host, tracking parameters and a trailing slash do not
    make another post; parameters that name the post (e.g. story_fbid) do."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _tracking(k)))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, "")).lstrip("/")
