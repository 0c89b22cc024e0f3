"""The pieces every web page a service serves shares (netra_common.web), and who else may read
a service's answers (CORS in netra_common.cors)."""

from __future__ import annotations

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from netra_common.cors import cors_headers, origin_of, parse_origins, preflight
from netra_common.errors import ApiError
from netra_common.web import StaticSite, content_security_policy, static_path
from services.intake.api import portal

PORTAL_CSP = ("default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")


def request(method: str = "GET", **headers) -> Request:
    return Request(EnvironBuilder(method=method, path="/x", headers=headers).get_environ())


def test_the_portal_keeps_its_policy_and_headers_now_that_they_are_shared():
    assert portal.SECURITY_HEADERS == {
        "Content-Security-Policy": PORTAL_CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer", "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}
    page = portal.index()
    assert page.headers["Cache-Control"] == "no-cache" and page.content_type == "text/html; charset=utf-8"
    script = portal.static_file("portal.js")
    assert script.headers["Content-Security-Policy"] == PORTAL_CSP
    assert script.content_type in ("text/javascript; charset=utf-8", "application/javascript; charset=utf-8")


def test_a_policy_adds_only_the_sources_it_is_given():
    policy = content_security_policy(img=("blob:",), connect=("https://bukti.example",))
    assert "img-src 'self' blob:;" in policy and "connect-src 'self' https://bukti.example;" in policy
    assert "script-src 'self';" in policy and "unsafe" not in policy and "frame-ancestors 'none'" in policy


# Real files outside the static folder (the portal's page, intake's code) and files that are not there.
@pytest.mark.parametrize("name", ["../index.html", "../../api/portal.py", "../../service.py", "/etc/passwd",
                                  "missing.js", ""])
def test_a_static_lookup_never_leaves_its_folder_nor_finds_what_is_not_there(name):
    assert static_path(portal.SITE.static_folder, name) is None
    with pytest.raises(ApiError) as refused:
        StaticSite(portal.WEB_DIR, PORTAL_CSP).static(name)
    assert refused.value.status == 404


@pytest.mark.parametrize("url, origin", [
    ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
    ("http://127.0.0.1:8001/console/", "http://127.0.0.1:8001"),
    ("HTTPS://Tim.Netra.example:443/", "https://tim.netra.example"),
    ("http://example.org:80", "http://example.org"),
    ("http://[::1]:8001", "http://[::1]:8001"),
    ("*", None), ("null", None), ("", None), ("ftp://example.org", None), ("http://user@example.org", None),
])
def test_an_origin_is_scheme_host_and_port_only(url, origin):
    assert origin_of(url) == origin


def test_a_list_of_origins_refuses_a_wildcard_rather_than_opening_to_everyone():
    assert parse_origins(" http://127.0.0.1:8001, https://tim.example ,") == {
        "http://127.0.0.1:8001", "https://tim.example"}
    assert parse_origins("") == frozenset()
    with pytest.raises(ValueError, match="not an origin"):
        parse_origins("http://127.0.0.1:8001,*")


def test_only_an_allowed_origin_is_told_it_may_read():
    allowed = parse_origins("http://127.0.0.1:8001")
    assert cors_headers(request(Origin="http://127.0.0.1:8001"), allowed) == {
        "Vary": "Origin", "Access-Control-Allow-Origin": "http://127.0.0.1:8001"}
    assert cors_headers(request(Origin="http://127.0.0.1:8000"), allowed) == {"Vary": "Origin"}
    assert cors_headers(request(), allowed) == {"Vary": "Origin"}


def test_a_preflight_names_methods_and_headers_for_an_allowed_origin_and_refuses_others():
    allowed = parse_origins("http://127.0.0.1:8001")
    ok = preflight(request("OPTIONS", Origin="http://127.0.0.1:8001", **{"Access-Control-Request-Method": "GET"}),
                   allowed)
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8001"
    assert ok.headers["Access-Control-Allow-Methods"] == "GET"
    assert ok.headers["Access-Control-Allow-Headers"] == "Authorization"
    refused = preflight(request("OPTIONS", Origin="https://elsewhere.example"), allowed)
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert refused.json["error"]["code"] == "origin_not_allowed"
