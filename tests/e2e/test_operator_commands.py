"""Operator commands answer --help and do what they say against the running system."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

COMMANDS = [
    ["netra_stack.cli"], ["netra_stack.cli", "run"], ["netra_stack.cli", "check"],
    ["netra_common.bus.cli"], ["netra_common.bus.cli", "declare"],
    ["netra_common.bus.cli", "dead-letters"], ["netra_common.bus.cli", "show"],
    ["netra_common.bus.cli", "replay"], ["netra_common.migrate"],
    ["services.casework.admin"], ["services.casework.admin", "ensure-user"],
    ["services.intake.admin"], ["services.intake.admin", "work-units"],
    ["services.intake.admin", "work-units", "list"], ["services.intake.admin", "work-units", "add"],
    ["services.intake.admin", "work-units", "remove"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_explains_itself(command):
    done = subprocess.run([sys.executable, "-m", *command, "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout


def admin(stack, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.intake.admin", *args],
                          env=stack.service_env("intake"), capture_output=True, text=True, timeout=60)


def test_an_admin_edits_the_work_units_the_portal_offers(stack):
    reference = f"{stack.settings.url('intake')}/api/v1/reference"
    unit = {"name": "UPT Pengelolaan Air Bersih", "group": "UPT"}
    assert admin(stack, "work-units", "add", unit["name"], "--group", "UPT").returncode == 0
    assert unit in requests.get(reference, timeout=10).json()["work_units"]
    assert "UPT: UPT Pengelolaan Air Bersih" in admin(stack, "work-units", "list").stdout
    assert admin(stack, "work-units", "remove", unit["name"]).returncode == 0
    assert unit not in requests.get(reference, timeout=10).json()["work_units"]
    missing = admin(stack, "work-units", "remove", "Dinas Yang Tidak Ada")
    assert missing.returncode != 0 and "no work unit named" in missing.stderr
