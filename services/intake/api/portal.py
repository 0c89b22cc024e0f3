"""Serves the public portal (web/): its page and static files, with strict security headers."""

from __future__ import annotations

from pathlib import Path

from werkzeug.wrappers import Response

from netra_common.web import StaticSite, content_security_policy

WEB_DIR = Path(__file__).resolve().parents[1] / "web"

# Screenshots the reporter picks are previewed as blob: and data: images; no Referer carries
# a tracking code (netra_common.web.security_headers).
SITE = StaticSite(WEB_DIR, content_security_policy(img=("blob:", "data:")))
SECURITY_HEADERS = SITE.headers


def index() -> Response:
    return SITE.page()


def static_file(name: str) -> Response:
    return SITE.static(name)
