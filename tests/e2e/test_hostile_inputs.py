"""No input makes a door answer with a server error.

Every route and parameter both OpenAPI documents describe (read from the running services, so a
route added later is swept too) gets hostile values in its path, query, headers and body: NUL and
other control characters, text-direction overrides, invalid UTF-8, numbers no column holds,
over-long values, a hundred thousand `[`, the wrong JSON types. The team API is swept without a
token, with a ketua's and with an admin's. evidence and notify, which have no document, are swept
on every route their classes serve, and every service gets requests no HTTP parser should take
(an 8 KB line, a NUL in the request line, a bad Content-Length). Every answer must be below 500,
and every refusal JSON with a code and words. All of it against a stack of its own (scratch_stack):
what the sweep files and counts stays out of the other tests' way.
"""

from __future__ import annotations

import json
import random
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from services.evidence.service import EvidenceService
from services.notify.service import NotifyService
from tests.conftest import enrol
from tests.support import complaints
from tests.support.accounts import dev_ketua as development_ketua
from tests.support.hostile import (
    BYTES,
    JSON_BODIES,
    JSON_VALUES,
    TEXT,
    base_value,
    field_paths,
    in_path,
    problem_with,
    resolve,
    with_raw,
)
from tests.support.routes import path_variables, served

WORKERS = 6


class Sweep:
    """The hostile requests for one service, sent in parallel; what was wrong with the answers."""

    def __init__(self, base_url: str, known: dict[str, str], headers: dict | None = None):
        self.base_url, self.known, self.headers = base_url, known, headers or {}
        self.planned: list[tuple[str, dict]] = []
        self.swept: set[tuple[str, str]] = set()  # (method, path) of every operation given hostile values

    def request(self, label: str, method: str, path: str, *, path_values: dict | None = None, **kwargs) -> None:
        values = {name: in_path(self.known.get(name, "x")) for name in path_variables(path)}
        values.update(path_values or {})
        url = self.base_url + path.format(**values)
        self.swept.add((method.lower(), path))
        client = f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"
        headers = {**self.headers, "X-Forwarded-For": client, **kwargs.pop("headers", {})}
        self.planned.append((f"{method.upper()} {path} {label}", {"method": method, "url": url,
                                                                   "headers": headers, **kwargs}))

    def run(self) -> list[str]:
        def send(item):
            label, arguments = item
            try:
                response = requests.request(timeout=60, **arguments)
            except requests.ConnectionError as exc:
                return f"{label}: no answer ({type(exc).__name__})"
            problem = problem_with(response)
            return f"{label}: {problem}" if problem else None

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            found = [problem for problem in pool.map(send, self.planned) if problem]
        self.planned = []
        return found


def plan_address(sweep: Sweep, method: str, path: str, operation: dict) -> None:
    """Hostile values in each path variable, each documented query parameter and header."""
    for name in path_variables(path):
        for label, value in {**TEXT, **BYTES, "over_8kb": "C" * 9000}.items():
            sweep.request(f"path {name}={label}", method, path, path_values={name: in_path(value)})
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query":
            for label, value in {**TEXT, **BYTES}.items():
                sweep.request(f"query {parameter['name']}={label}", method, path, params={parameter["name"]: value})
        elif parameter["in"] == "header":
            for label, value in {**TEXT, **BYTES, "over_8kb": "H" * 9000}.items():
                raw = value if isinstance(value, bytes) else value.replace("\n", " ").encode()
                sweep.request(f"header {parameter['name']}={label}", method, path, headers={parameter["name"]: raw})
    for label, value in {"nul": b"Bearer a\x00b", "invalid_utf8": b"Bearer \xff\xfe", "long": b"Bearer " + b"t" * 7000,
                         "other_scheme": b"Basic eDp5"}.items():
        sweep.request(f"header Authorization={label}", method, path, headers={"Authorization": value})
    sweep.request("query undocumented=nul", method, path, params={"zzz": "\x00"})


def plan_json_body(sweep: Sweep, method: str, path: str, schema: dict, document: dict, media="application/json",
                   wrap=None) -> None:
    """Hostile whole bodies, then each field of a plausible body set to each hostile value."""
    wrap = wrap or (lambda body: {"data": body, "headers": {"Content-Type": media}})
    for label, body in JSON_BODIES.items():
        sweep.request(f"body={label}", method, path, **wrap(body))
    sweep.request("body as text/plain", method, path, data=b'{"a": 1}', headers={"Content-Type": "text/plain"})
    base = base_value(schema, document)
    for field in field_paths(schema, document):
        for label, raw in JSON_VALUES.items():
            sweep.request(f"body {'.'.join(map(str, field))}={label}", method, path, **wrap(with_raw(base, field, raw)))


def plan_document(sweep: Sweep, document: dict, only: set | None = None) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if only is not None and (method, path) not in only:
                continue
            plan_address(sweep, method, path, operation)
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                plan_json_body(sweep, method, path, content["application/json"]["schema"], document)
            if "multipart/form-data" in content:
                plan_multipart(sweep, method, path, resolve(content["multipart/form-data"]["schema"], document),
                               document)


def plan_multipart(sweep: Sweep, method: str, path: str, schema: dict, document: dict) -> None:
    """A form: each JSON part's fields as above, its text parts and file names hostile, and forms no
    parser could read."""
    png = complaints.png(seed=90_417)  # a picture of its own
    for name, part in schema["properties"].items():
        part = resolve(part, document)
        if part.get("type") == "object" or "properties" in part:
            def as_part(body, name=name):
                return {"files": [(name, ("part.json", body, "application/json")),
                                  ("screenshots", ("a.png", png, "image/png"))]}
            plan_json_body(sweep, method, path, part, document, wrap=as_part)
            sweep.request(f"part {name} as a field=nul", method, path, data={name: '{"a": "\x00"}'})
        elif part.get("type") == "string":
            for label, value in {**TEXT, **BYTES}.items():
                sweep.request(f"part {name}={label}", method, path, files=[(name, (None, value))])
    for label, filename in {"nul": "a\x00.png", "bidi": "\u202egnp.exe.png", "long": "n" * 5000 + ".png",
                            "traversal": "../../x.png"}.items():
        sweep.request(f"screenshot filename={label}", method, path,
                      files=[("screenshots", (filename, png, "image/png"))])
    odd_file = b'--b\r\nContent-Disposition: form-data; name="screenshots"; filename="\xff\x00.png"\r\n' \
               b"Content-Type: image/png\r\n\r\n" + png + b"\r\n--b--\r\n"
    raw = {"invalid_utf8_name": b'--b\r\nContent-Disposition: form-data; name="\xff"\r\n\r\nx\r\n--b--\r\n',
           "invalid_utf8_filename": odd_file,
           "unterminated": b'--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nhalo',
           "garbage": b"\x00" * 1000}
    for label, body in raw.items():
        sweep.request(f"form={label}", method, path, data=body,
                      headers={"Content-Type": "multipart/form-data; boundary=b"})
    sweep.request("form without a boundary", method, path, data=b"x", headers={"Content-Type": "multipart/form-data"})
    sweep.request("six screenshots", method, path, files=[("screenshots", (f"{i}.png", png, "image/png"))
                                                          for i in range(6)])


# --- what the requests point at ---------------------------------------------------------


@pytest.fixture(scope="module")
def lead(scratch_stack):
    return development_ketua(scratch_stack)


@pytest.fixture(scope="module")
def filed(scratch_stack) -> dict:
    response = complaints.file(scratch_stack.settings.url("intake"), complaints.complaint(), [],
                               headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def team_targets(scratch_stack, lead) -> dict:
    """A real case and a real (throw-away) account, so hostile values also reach past 'not found'."""
    case = lead.post("/api/v1/cases", {
        "reported": {"name": "Sapuan Sasaran Uji"}, "platform": "facebook", "violation_types": ["share"],
        "post_urls": ["https://www.facebook.com/sapuan/posts/1"], "occurred_at": "2026-11-20T19:00:00+07:00",
        "description": "Kasus untuk diuji dengan masukan yang bermusuhan."})
    assert case.status_code == 201, case.text
    target = enrol(scratch_stack, "sapuan.sasaran", "anggota", work_unit="Bappeda")
    return {"case_id": case.json()["case_id"], "evidence_id": "00000000-0000-4000-8000-000000000001",
            "user_id": target.user["user_id"], "dimension": "status"}


def operations(document: dict) -> set[tuple[str, str]]:
    return {(method, path) for path, methods in document["paths"].items() for method in methods}


def answers_well(found: list[str]) -> None:
    assert found == [], f"{len(found)} bad answers, e.g.:\n" + "\n".join(found[:40])


def test_every_route_and_parameter_of_the_public_api_survives_hostile_values(scratch_stack, filed):
    intake = scratch_stack.settings.url("intake")
    document = requests.get(f"{intake}/openapi.json", timeout=10).json()
    sweep = Sweep(intake, {"tracking_code": filed["tracking_code"]}, headers={"X-Receipt": filed["receipt"]})
    plan_document(sweep, document)
    assert sweep.swept == operations(document)
    answers_well(sweep.run())


def test_every_route_and_parameter_of_the_team_api_survives_hostile_values_with_and_without_a_token(
        scratch_stack, lead, team_targets):
    casework = scratch_stack.settings.url("casework")
    document = requests.get(f"{casework}/openapi.json", timeout=10).json()
    logout = {("post", "/api/v1/auth/logout")}
    everything_but_logout = operations(document) - logout
    admin = enrol(scratch_stack, "admin.sapuan", "admin")
    for token in (None, lead.session.headers["Authorization"], admin.session.headers["Authorization"]):
        sweep = Sweep(casework, team_targets, headers={"Authorization": token} if token else {})
        plan_document(sweep, document, only=everything_but_logout)
        assert sweep.swept == everything_but_logout
        answers_well(sweep.run())
    # Last, because it ends the token it is sent with.
    sweep = Sweep(casework, team_targets, headers={"Authorization": admin.session.headers["Authorization"]})
    plan_document(sweep, document, only=logout)
    answers_well(sweep.run())


@pytest.mark.parametrize("service, service_class", [("evidence", EvidenceService), ("notify", NotifyService)])
def test_every_route_evidence_and_notify_serve_survives_hostile_values(scratch_stack, service, service_class):
    sweep = Sweep(scratch_stack.settings.url(service), {"copy": "sanitized"})
    for method, path in sorted(served(service_class)):
        plan_address(sweep, method, path, {"parameters": [{"in": "header", "name": "Origin"}]})
    assert sweep.swept == served(service_class)
    answers_well(sweep.run())


RAW_REQUESTS = {
    "invalid UTF-8 in the request line": b"GET /api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in the request line": b"GET /api/v1/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "a request line over 8 KB": b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "a header over 8 KB": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"h" * 9000 + b"\r\n\r\n",
    "an HTTP version nobody speaks": b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n",
    "a garbage request line": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    "a negative Content-Length": b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    "a Content-Length that is no number": b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1e400\r\n\r\n",
    "Content-Length with Transfer-Encoding": b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                                             b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "a TRACE": b"TRACE /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
}


def raw_answer(port: int, request: bytes) -> tuple[int, bytes, bytes]:
    """(status, headers, body) of one raw request, read until the server closes or the body is complete."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed before taking all of it: read what it said
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


@pytest.mark.parametrize("what", sorted(RAW_REQUESTS))
def test_requests_no_parser_should_take_get_a_json_refusal_from_every_service(scratch_stack, what):
    for service, port in scratch_stack.settings.service_ports.items():
        status, head, body = raw_answer(port, RAW_REQUESTS[what])
        assert 400 <= status < 500, (service, what, head)
        assert b"application/json" in head.lower(), (service, what, head)
        assert b'"error"' in body and b'"code"' in body, (service, what, body[:200])


def test_refusals_name_where_the_problem_is_in_indonesian_or_in_english(scratch_stack, lead):
    """The same refusal in both languages: the words differ, the field they name does not."""
    casework, intake = scratch_stack.settings.url("casework"), scratch_stack.settings.url("intake")
    token = lead.session.headers["Authorization"]
    deep = {"data": b'{"expected_version": ' + b"[" * 100_000, "headers": {"Content-Type": "application/json"}}
    refusals = [
        ("GET", f"{casework}/api/v1/cases?status=%00", {"headers": {"Authorization": token}}, "status"),
        ("GET", f"{casework}/api/v1/cases?limit=1e400", {"headers": {"Authorization": token}}, "limit"),
        ("POST", f"{casework}/api/v1/cases", {"headers": {"Authorization": token},
                                              "json": {"reported": {"name": "Budi\u202e"}}}, "reported"),
        ("POST", f"{casework}/api/v1/auth/login", deep, "body"),
        ("GET", f"{intake}/api/v1/complaints/%ff", {"headers": {"X-Receipt": "x"}}, "path"),
        ("POST", f"{intake}/api/v1/complaints", {"files": {"complaint": (None, '{"description": 1e400}')}},
         "description"),
    ]
    for method, url, arguments, field in refusals:
        said = {}
        for lang in ("id", "en"):
            headers = {**arguments.get("headers", {}), "Accept-Language": lang,
                       "X-Forwarded-For": f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"}
            answer = requests.request(method, url, timeout=30, **{**arguments, "headers": headers})
            assert answer.status_code == 400, (url, answer.text)
            said[lang] = answer.json()["error"]
        assert said["id"]["message"] != said["en"]["message"], url
        assert field in json.dumps(said["en"]["details"]), (url, said["en"])
        assert json.dumps(said["id"]["details"]) != json.dumps(said["en"]["details"]), (url, said)
