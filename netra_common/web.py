"""Web pages a service serves itself (intake's portal, casework's team console): the page
and its static files, with strict security headers and a lookup that never leaves its folder."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from werkzeug.security import safe_join
from werkzeug.utils import redirect as werkzeug_redirect
from werkzeug.wrappers import Response

from netra_common.errors import ApiError

MISSING = ApiError(404, "not_found", {"id": "Berkas tidak ditemukan.", "en": "File not found."})
STATIC_CACHE = "public, max-age=300"
# What every site's pages share (base.css), served beside each site's own static files.
SHARED_STATIC = Path(__file__).resolve().parent / "static"


def content_security_policy(*, img: tuple[str, ...] = (), connect: tuple[str, ...] = ()) -> str:
    """Nothing from elsewhere but the sources named, no inline script, never framed.

    `img` and `connect` add sources to 'self' for images and for fetch (e.g. blob:, or the
    origin of another of our services)."""
    directives = (
        ("default-src", ("'self'",)),
        ("img-src", ("'self'", *img)),
        ("style-src", ("'self'",)),
        ("script-src", ("'self'",)),
        ("connect-src", ("'self'", *connect)),
        ("object-src", ("'none'",)),
        ("base-uri", ("'none'",)),
        ("form-action", ("'self'",)),
        ("frame-ancestors", ("'none'",)),
    )
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def security_headers(csp: str) -> dict[str, str]:
    """The headers of every page and static file: no sniffing, no framing, no Referer (a URL
    may carry a case id or tracking code), no camera, microphone or location."""
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def content_type_of(path: Path) -> str:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json",
                                                            "image/svg+xml"):
        content_type += "; charset=utf-8"
    return content_type


def file_response(path: Path, headers: dict[str, str], cache: str) -> Response:
    return Response(path.read_bytes(), content_type=content_type_of(path),
                    headers={**headers, "Cache-Control": cache})


def static_path(folder: Path, name: str) -> Path | None:
    """The file `name` inside `folder`, or None for a missing file or a path that leaves it."""
    joined = safe_join(str(folder), name)
    if joined is None or not Path(joined).is_file():
        return None
    return Path(joined)


def redirect(location: str, headers: dict[str, str]) -> Response:
    response = werkzeug_redirect(location, code=302)
    response.headers.extend(headers)
    return response


class StaticSite:
    """One page and the static files beside it, all answered with the same security headers."""

    def __init__(self, folder: Path, csp: str, static_folder: str = "static"):
        self.folder = folder
        self.static_folder = folder / static_folder
        self.headers = security_headers(csp)

    def page(self, name: str = "index.html") -> Response:
        return file_response(self.folder / name, self.headers, "no-cache")

    def static(self, name: str) -> Response:
        path = static_path(self.static_folder, name) or static_path(SHARED_STATIC, name)
        if path is None:
            raise MISSING
        return file_response(path, self.headers, STATIC_CACHE)
