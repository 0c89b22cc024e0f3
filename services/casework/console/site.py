"""Serves the team console: its page, static files and reference words, with strict headers.

The console's scripts talk to casework ('self') and fetch screenshots from evidence with a
grant, so the policy names evidence's origin for fetch and images, and nothing else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from werkzeug.wrappers import Response

from netra_common.cors import origin_of
from netra_common.http_answers import json_response
from netra_common.web import StaticSite, content_security_policy, redirect
from services.casework.console.reference import console_reference

CONSOLE_DIR = Path(__file__).resolve().parent
HOME = "/console/"


def policy(evidence_url: str | None) -> str:
    evidence = origin_of(evidence_url)
    others = (evidence,) if evidence else ()
    return content_security_policy(img=("blob:", *others), connect=others)


@lru_cache(maxsize=4)
def site(evidence_url: str | None) -> StaticSite:
    return StaticSite(CONSOLE_DIR, policy(evidence_url))


def _site(config) -> StaticSite:
    return site(config.get("NETRA_EVIDENCE_URL"))


def index(config) -> Response:
    return _site(config).page()


def static_file(config, name: str) -> Response:
    return _site(config).static(name)


def reference(config) -> Response:
    """The console's words and forms, and how often it renews its session while its member works."""
    session = {"renew_seconds": float(config.get("NETRA_CONSOLE_RENEW_SECONDS") or 60)}
    return json_response({**console_reference(), "session": session},
                         headers={**_site(config).headers, "Cache-Control": "no-cache"})


def to_console(config) -> Response:
    return redirect(HOME, _site(config).headers)
