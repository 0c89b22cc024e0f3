"""Reads from other origins (CORS): which origins a setting allows, the headers an answer carries
for them, and the answer to a browser's preflight (the team console reading evidence)."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from netra_common.errors import ApiError
from netra_common.http_answers import error_response

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_of(url: str | None) -> str | None:
    """`scheme://host[:port]` of a URL (lower-case, default port left out); None if it has none."""
    parts = urlsplit((url or "").strip())
    netloc = parts.netloc.lower()
    if parts.scheme not in _DEFAULT_PORTS or not netloc or "@" in netloc:
        return None
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    if port == _DEFAULT_PORTS[parts.scheme]:
        netloc = host
    return f"{parts.scheme}://{netloc}"


def parse_origins(setting: str | None) -> frozenset[str]:
    """A comma-separated list of origins; anything else (e.g. `*`) is a mistake, not a wildcard."""
    origins = set()
    for item in (setting or "").split(","):
        if item.strip():
            origin = origin_of(item)
            if origin is None:
                raise ValueError(f"{item.strip()!r} is not an origin (scheme://host[:port])")
            origins.add(origin)
    return frozenset(origins)


def cors_headers(request: Request, allowed: frozenset[str]) -> dict[str, str]:
    """Access-Control-Allow-Origin for an allowed Origin only; the answer varies by Origin."""
    headers = {"Vary": "Origin"}
    if origin_of(request.headers.get("Origin")) in allowed:
        headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
    return headers


ORIGIN_REFUSED = ApiError(403, "origin_not_allowed", {
    "id": "Alamat asal permintaan ini tidak diizinkan membaca layanan ini.",
    "en": "Requests from this origin may not read this service."})


def preflight(request: Request, allowed: frozenset[str], methods=("GET",), headers=("Authorization",),
              max_age: int = 600) -> Response:
    """The answer to a browser's OPTIONS preflight: which methods and headers an allowed origin may
    use; any other origin is refused, without Access-Control-Allow-Origin."""
    cors = cors_headers(request, allowed)
    if "Access-Control-Allow-Origin" not in cors:
        response = error_response(ORIGIN_REFUSED, request)
        response.headers.update(cors)
        return response
    return Response(status=204, headers={**cors, "Access-Control-Allow-Methods": ", ".join(methods),
                                         "Access-Control-Allow-Headers": ", ".join(headers),
                                         "Access-Control-Max-Age": str(max_age)})
