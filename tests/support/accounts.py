"""Team accounts for the tests, made as the district would make them: on the server with
`netra-casework ensure-user`, then confirmed through the team API by a ketua (the development
account, the stack's first ketua), and logged in with password and a fresh TOTP code."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pyotp
import requests
from netra_stack.stack import DEV_ACCOUNT

from tests.support.totp import fresh_code

ENSURED = re.compile(r"account \S+ \((\w+)\) (\w+): ([0-9a-f-]{36}), state (\w+)")


class TeamClient:
    """The team's HTTP API, logged in."""

    def __init__(self, base_url: str, token: str, user: dict):
        self.base_url = base_url
        self.user = user
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.password: str | None = None
        self.totp_secret: str | None = None

    @property
    def token(self) -> str:
        return self.session.headers["Authorization"].removeprefix("Bearer ")

    def get(self, path: str, **kwargs):
        return self.session.get(f"{self.base_url}{path}", timeout=10, **kwargs)

    def post(self, path: str, body: dict | None = None, **kwargs):
        return self.session.post(f"{self.base_url}{path}", json=body or {}, timeout=10, **kwargs)

    def command(self, case_id: str, command: str, expected_version: int, **body):
        return self.post(f"/api/v1/cases/{case_id}/{command}",
                         {"expected_version": expected_version, **body})

    def log_in_again(self) -> TeamClient:
        """A new session for the same account (after a test ended its sessions on purpose)."""
        fresh = log_in_as(self.base_url, self.user["username"], self.password, self.totp_secret)
        self.session.headers["Authorization"] = fresh.session.headers["Authorization"]
        self.user = fresh.user
        return self


def log_in_as(base_url: str, username: str, password: str, totp_secret: str) -> TeamClient:
    response = requests.post(f"{base_url}/api/v1/auth/login", timeout=30, json={
        "username": username, "password": password, "otp": fresh_code(totp_secret)})
    assert response.status_code == 200, response.text
    body = response.json()
    client = TeamClient(base_url, body["token"], body["user"])
    client.password, client.totp_secret = password, totp_secret
    return client


def log_in(stack, username: str, password: str, totp_secret: str) -> TeamClient:
    return log_in_as(stack.settings.url("casework"), username, password, totp_secret)


_dev_ketuas: dict[int, TeamClient] = {}


def dev_ketua(stack) -> TeamClient:
    """The development account `make run` makes: the stack's first ketua, logged in once per stack."""
    client = _dev_ketuas.get(id(stack))
    if client is None:
        client = log_in(stack, DEV_ACCOUNT["username"], stack.secrets["dev_team_password"],
                        stack.secrets["dev_team_totp_secret"])
        _dev_ketuas[id(stack)] = client
    elif client.get("/api/v1/me").status_code == 401:
        client.log_in_again()
    return client


def confirm(ketua: TeamClient, user_id: str) -> dict:
    """The ketua confirms an account awaiting it, at the version the list shows."""
    waiting = ketua.get("/api/v1/users", params={"state": "awaiting_confirmation"})
    assert waiting.status_code == 200, waiting.text
    account = next(a for a in waiting.json() if a["user_id"] == user_id)
    confirmed = ketua.post(f"/api/v1/users/{user_id}/confirm", {"expected_version": account["version"]})
    assert confirmed.status_code == 200, confirmed.text
    return confirmed.json()


def grant_vault(ketua: TeamClient, user_id: str) -> dict:
    """A ketua who holds the identity vault gives it to another active ketua (docs/decisions/0017)."""
    granted = ketua.post(f"/api/v1/users/{user_id}/vault-grant")
    assert granted.status_code == 200, granted.text
    return granted.json()


def ensure_user(stack, username: str, role: str, password: str, totp_secret: str, *extra: str,
                full_name: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """`netra-casework ensure-user` as an operator runs it on the server."""
    args = [sys.executable, "-m", "services.casework.admin", "ensure-user", "--username", username, "--role", role,
            "--full-name", full_name or f"Uji {role} {username}", "--password-stdin", "--totp-secret", totp_secret,
            *extra]
    return subprocess.run(args, input=password, text=True, env=stack.service_env("casework"), check=check,
                          capture_output=True)


def new_password() -> str:
    return f"{secrets.token_urlsafe(12)}-sandi"


_enrolled: dict[tuple[int, str], tuple[tuple, str, str]] = {}


def enrol(stack, username: str, role: str, work_unit: str | None = None, email: str | None = None,
          full_name: str | None = None, notify_mode: str = "immediate", confirmed: bool = True) -> TeamClient:
    """Make an account on the server, have the development ketua confirm it (unless `confirmed` is
    False), and log it in. Asked again for the same account (a module fixture of a second module),
    it logs the account in again; asked for it with other particulars, it resets it (--reset)."""
    wanted = (role, work_unit, email, full_name, notify_mode, confirmed)
    known = _enrolled.get((id(stack), username))
    if known and known[0] == wanted:
        return log_in(stack, username, known[1], known[2])
    password, secret = new_password(), pyotp.random_base32()
    extra = ["--notify-mode", notify_mode, *(["--reset"] if known else [])]
    if work_unit:
        extra += ["--work-unit", work_unit]
    if email:
        extra += ["--email", email]
    done = ensure_user(stack, username, role, password, secret, *extra, full_name=full_name)
    _role, _outcome, user_id, state = ENSURED.search(done.stdout).groups()
    if confirmed and state == "awaiting_confirmation":
        confirm(dev_ketua(stack), user_id)
    if confirmed and role == "ketua":  # an ordinary ketua holds the identity vault: the first ketua grants it
        grant_vault(dev_ketua(stack), user_id)
    _enrolled[(id(stack), username)] = (wanted, password, secret)
    return log_in(stack, username, password, secret)
