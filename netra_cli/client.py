"""HTTP calls to casework's team API: answers become data, refusals become ApiError.

Everything here talks HTTP only; what the user sees is decided in output.py and main.py.
"""

from __future__ import annotations

import os
import re
import uuid

import requests

DEFAULT_URL = "http://127.0.0.1:8001"
TIMEOUT_SECONDS = 30
# Case numbers are NTR-<year>-<running number, at least five digits> (casework's usecases).
CASE_NUMBER = re.compile(r"^NTR-\d{4}-\d{5,}$", re.IGNORECASE)
LIST_PAGE = 200  # the API's largest page


class ApiError(Exception):
    """The API refused: its HTTP status, error code, Indonesian message and details."""

    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class CaseNotFound(Exception):
    """No visible case has the number the user typed (found out by the client, not said by the API)."""


class Unreachable(Exception):
    """The server did not answer at all (wrong URL, not running, network)."""


def server_url(explicit: str | None = None) -> str:
    """The casework URL: `explicit`, else env NETRA_URL, else the local default."""
    return (explicit or os.environ.get("NETRA_URL") or DEFAULT_URL).rstrip("/")


def normal_otp(text: str) -> str:
    """The 6-digit code without the spaces people type ('123 456'); ValueError for anything else."""
    code = "".join(str(text).split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise ValueError("Kode OTP harus 6 digit angka dari aplikasi authenticator.")
    return code


def error_from(response: requests.Response) -> ApiError:
    """The API's JSON error ({"error": {code, message, details}}), or a plain one for anything else."""
    try:
        error = response.json()["error"]
        return ApiError(response.status_code, str(error["code"]), str(error["message"]), error.get("details"))
    except (ValueError, KeyError, TypeError):
        return ApiError(response.status_code, "http_error",
                        f"Server menjawab HTTP {response.status_code} tanpa keterangan yang dapat dibaca.")


class Client:
    """casework's team API at `url`, with the bearer `token` when logged in."""

    def __init__(self, url: str, token: str | None = None):
        self.url = url.rstrip("/")
        self.http = requests.Session()
        # Which door the team's reads came through, for the access report (docs/decisions/0038).
        self.http.headers["X-Netra-Door"] = "cli"
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """One call; a refusal raises ApiError, silence raises Unreachable."""
        return _checked(self.http, method, f"{self.url}{path}", **kwargs)

    def get_json(self, path: str, params: dict | None = None):
        return self.request("GET", path, params=params).json()

    def post_json(self, path: str, body: dict | None = None):
        return self.request("POST", path, json=body or {}).json()

    def get_bytes(self, path: str) -> bytes:
        return self.request("GET", path).content


def _checked(http, method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = http.request(method, url, timeout=TIMEOUT_SECONDS, **kwargs)
    except requests.RequestException as exc:
        raise Unreachable(f"Tidak dapat menghubungi {url}: {type(exc).__name__}. "
                          "Periksa --url / NETRA_URL dan apakah server berjalan.") from None
    if response.status_code >= 400:
        raise error_from(response)
    return response


def fetch_with_grant(url: str, grant: str) -> bytes:
    """Download a screenshot from the evidence service with a grant (never the bearer token)."""
    return _checked(requests, "GET", url, headers={"Authorization": f"Grant {grant}"}).content


# --- cases ------------------------------------------------------------------------------


def case_ref(text: str) -> tuple[str, str]:
    """("id", uuid) or ("number", NTR-YYYY-NNNNN) for what the user typed; ValueError otherwise."""
    text = text.strip()
    try:
        return "id", str(uuid.UUID(text))
    except ValueError:
        pass
    if CASE_NUMBER.match(text):
        return "number", text.upper()
    raise ValueError(f"'{text}' bukan id kasus (UUID) maupun nomor kasus (mis. NTR-2026-00012).")


def resolve_case(client: Client, text: str) -> str:
    """The case id for an id or a case number (looked up in the work queue)."""
    kind, value = case_ref(text)
    return value if kind == "id" else find_by_number(client, value)


def find_by_number(client: Client, number: str) -> str:
    """Search by number (q matches case_number exactly); roles without search read the queue in pages."""
    try:
        page = client.get_json("/api/v1/cases", {"q": number, "limit": LIST_PAGE})
        found = _numbered(page["items"], number)
    except ApiError as exc:
        # BKPPD may see forwarded cases but not search, so it pages through what it may see.
        if exc.code != "forbidden":
            raise
        found = _page_through(client, number)
    if found is None:
        raise CaseNotFound(f"Kasus {number} tidak ditemukan (atau tidak terlihat oleh Anda).")
    return found


def _page_through(client: Client, number: str) -> str | None:
    offset = 0
    while True:
        page = client.get_json("/api/v1/cases", {"sort": "case_number", "order": "asc",
                                                 "limit": LIST_PAGE, "offset": offset})
        found = _numbered(page["items"], number)
        offset += LIST_PAGE
        if found or offset >= page["total"] or not page["items"]:
            return found


def _numbered(items: list[dict], number: str) -> str | None:
    # Full-text search may also bring cases that merely mention the number: keep the exact one.
    return next((item["case_id"] for item in items if item["case_number"] == number), None)


def run_command(client: Client, case_id: str, command: str, expected_version: int, body: dict) -> dict:
    """POST one case command; the answer holds the new version, status and allowed commands."""
    return client.post_json(f"/api/v1/cases/{case_id}/{command}", {"expected_version": expected_version, **body})


def current_version(client: Client, case_id: str) -> int:
    """The case's version now, for a command run without --expected-version."""
    return int(client.get_json(f"/api/v1/cases/{case_id}")["version"])
