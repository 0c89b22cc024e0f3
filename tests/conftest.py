"""Fixtures shared by every kind of test.

`stack` starts the whole system once per test session, isolated from `make run`:
its own database, bus prefix, ports, SeaweedFS and SMTP sink, all under
test-output/ so a failing run leaves its logs behind.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
import requests
from netra_stack import database
from netra_stack.settings import PROJECT_ROOT, StackSettings
from netra_stack.stack import DEV_ACCOUNT, Stack

from netra_common.bus import topology
from tests.support.totp import fresh_code

TEST_OUTPUT = PROJECT_ROOT / "test-output"


@pytest.fixture(scope="session")
def test_output() -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


@contextmanager
def isolated_stack(test_output: Path):
    run_dir = test_output / f"stack-{uuid.uuid4().hex[:8]}"
    settings = StackSettings.for_tests(run_dir)
    running = Stack(settings)
    try:
        running.prepare()
        running.start_services()
    except BaseException:
        running.stop(fast=True)
        raise
    yield running
    running.stop(fast=True)
    topology.delete(running.bus)
    database.drop_database(settings.pg_url, settings.database)
    # Keep the logs for a look after a failure; drop the bulky S3 data.
    shutil.rmtree(run_dir / "seaweedfs", ignore_errors=True)


@pytest.fixture(scope="session")
def stack(test_output):
    with isolated_stack(test_output) as running:
        yield running


@pytest.fixture(scope="session")
def scratch_stack(test_output):
    """A second isolated stack, for the tests that fill the system with generated and hostile data
    (schemathesis, the hostile-input sweep): the cases, complaints, accounts and rate-limit counters
    they leave behind cannot change what the other tests see."""
    with isolated_stack(test_output) as running:
        yield running


class TeamClient:
    """The team's HTTP API, logged in."""

    def __init__(self, base_url: str, token: str, user: dict):
        self.base_url = base_url
        self.user = user
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **kwargs):
        return self.session.get(f"{self.base_url}{path}", timeout=10, **kwargs)

    def post(self, path: str, body: dict | None = None, **kwargs):
        return self.session.post(f"{self.base_url}{path}", json=body or {}, timeout=10, **kwargs)

    def command(self, case_id: str, command: str, expected_version: int, **body):
        return self.post(f"/api/v1/cases/{case_id}/{command}",
                         {"expected_version": expected_version, **body})


def log_in(stack, username: str, password: str, totp_secret: str) -> TeamClient:
    base = stack.settings.url("casework")
    response = requests.post(f"{base}/api/v1/auth/login", timeout=10, json={
        "username": username, "password": password, "otp": fresh_code(totp_secret)})
    response.raise_for_status()
    body = response.json()
    return TeamClient(base, body["token"], body["user"])


def enrol(stack, username: str, role: str, work_unit: str | None = None, email: str | None = None,
          full_name: str | None = None, notify_mode: str = "immediate") -> TeamClient:
    """Create (or reset) a team account through the operator command, and log it in."""
    password, secret = f"sandi-{username}-123", pyotp.random_base32()
    args = [sys.executable, "-m", "services.casework.admin", "ensure-user", "--username", username,
            "--role", role, "--full-name", full_name or f"Uji {role} {username}", "--password-stdin",
            "--totp-secret", secret, "--notify-mode", notify_mode]
    if work_unit:
        args += ["--work-unit", work_unit]
    if email:
        args += ["--email", email]
    subprocess.run(args, input=password, text=True, env=stack.service_env("casework"), check=True,
                   capture_output=True)
    client = log_in(stack, username, password, secret)
    client.password, client.totp_secret = password, secret
    return client


def development_ketua(stack) -> TeamClient:
    return log_in(stack, DEV_ACCOUNT["username"], stack.secrets["dev_team_password"],
                  stack.secrets["dev_team_totp_secret"])


@pytest.fixture(scope="session")
def ketua(stack) -> TeamClient:
    return development_ketua(stack)


@pytest.fixture(scope="session")
def anggota(stack) -> TeamClient:
    """A second member: the two-person rule needs one."""
    return enrol(stack, "anggota.kedua", "anggota", work_unit="Diskominfo")


def mail_messages(stack) -> list[str]:
    folder = stack.settings.mail_dir
    return [p.read_text(errors="replace") for p in sorted(folder.glob("*.eml"))]


def dump(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


@pytest.fixture(scope="session")
def stack_db(stack):
    """The stack's database, for looking behind the services' backs."""
    from sqlalchemy import create_engine

    engine = create_engine(stack.settings.db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def bus_publisher(stack):
    from netra_common.bus.publisher import ConfirmedPublisher

    return ConfirmedPublisher(stack.bus)
