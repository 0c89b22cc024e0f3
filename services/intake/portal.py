"""Serves the public portal (web/): its page and static files, with strict security headers."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from netra_common.http import ApiError

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"

# Nothing from elsewhere, no inline script, never framed, no Referer carrying a tracking code.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
MISSING = ApiError(404, "not_found", {"id": "Berkas tidak ditemukan.", "en": "File not found."})


def _file_response(path: Path, cache: str) -> Response:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return Response(path.read_bytes(), content_type=content_type,
                    headers={**SECURITY_HEADERS, "Cache-Control": cache})


def index() -> Response:
    return _file_response(WEB_DIR / "index.html", "no-cache")


def static_file(name: str) -> Response:
    joined = safe_join(str(STATIC_DIR), name)
    if joined is None or not Path(joined).is_file():
        raise MISSING
    return _file_response(Path(joined), "public, max-age=300")
