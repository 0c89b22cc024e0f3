"""The first `make run` says what it does while it installs, and its banner names the commands as
they can be typed at the project's root: typed into a shell there, they print the password and the
one-time code."""

from __future__ import annotations

import os
import subprocess
import time

import pyotp
from netra_stack import cli
from netra_stack import secrets as dev_secrets
from netra_stack.settings import PROJECT_ROOT, StackSettings
from netra_stack.stack import Stack


def test_the_banners_commands_run_as_typed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)  # where `make run` runs
    monkeypatch.setenv("NETRA_DATA_DIR", str(tmp_path))
    stack = Stack(StackSettings.from_env())
    stack.secrets = dev_secrets.load_or_create(tmp_path)
    cli._print_banner(stack)
    banner = capsys.readouterr().out
    lines = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip() for line in banner.splitlines()
             if line.strip().startswith(("password:", "one-time code:"))}
    assert lines["password"] == ".venv/bin/netra-stack password"
    assert lines["one-time code"] == ".venv/bin/netra-stack otp"

    def typed(command: str) -> str:
        done = subprocess.run(["bash", "-c", command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "NETRA_DATA_DIR": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert typed(lines["password"]) == stack.secrets["dev_team_password"]
    totp = pyotp.TOTP(stack.secrets["dev_team_totp_secret"])
    assert typed(lines["one-time code"]) in {totp.at(time.time() + drift) for drift in (-30, 0)}


def test_the_first_install_says_what_it_does_and_lets_pip_show_each_package():
    # --no-print-directory: under `make test` the inner make would say "Entering/Leaving directory".
    done = subprocess.run(["make", "--no-print-directory", "--dry-run", "--always-make", "install"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    steps = done.stdout.splitlines()
    locked = next(i for i, step in enumerate(steps) if "pip install" in step and "requirements.lock" in step)
    assert "--quiet" not in steps[locked]  # "Collecting ..." for each package: no minute of silence
    assert any(step.startswith("echo") and "first time takes a few minutes" in step for step in steps[:locked])
    assert steps[-1].startswith("echo") and "is ready" in steps[-1]
