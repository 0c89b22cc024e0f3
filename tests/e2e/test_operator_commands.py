"""Operator commands answer --help and do what they say against the running system."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import click
import pyotp
import pytest
import requests
from netra_stack.cli import main as netra_stack
from sqlalchemy import text

from netra_common.bus.cli import main as netra_bus
from netra_common.migrate import main as netra_migrate
from services.casework.admin import main as netra_casework
from services.evidence.admin import main as netra_evidence
from services.intake.admin import main as netra_intake
from services.notify.admin import main as netra_notify
from tests.conftest import isolated_stack

PROGRAMS = {"netra-stack": ("netra_stack.cli", netra_stack), "netra-bus": ("netra_common.bus.cli", netra_bus),
            "netra-migrate": ("netra_common.migrate", netra_migrate),
            "netra-intake": ("services.intake.admin", netra_intake),
            "netra-evidence": ("services.evidence.admin", netra_evidence),
            "netra-casework": ("services.casework.admin", netra_casework),
            "netra-notify": ("services.notify.admin", netra_notify)}

COMMANDS = [
    ["netra-stack"], ["netra-stack", "check"], ["netra-stack", "cluster"], ["netra-stack", "otp"],
    ["netra-stack", "password"],
    ["netra-stack", "production-secrets"], ["netra-stack", "run"],
    ["netra-bus"], ["netra-bus", "dead-letters"], ["netra-bus", "declare"], ["netra-bus", "replay"],
    ["netra-bus", "show"], ["netra-bus", "teardown"],
    ["netra-migrate"],
    ["netra-intake"], ["netra-intake", "work-units"], ["netra-intake", "work-units", "add"],
    ["netra-intake", "work-units", "list"], ["netra-intake", "work-units", "remove"],
    ["netra-evidence"], ["netra-evidence", "new-master-key"], ["netra-evidence", "new-quarantine-key"],
    ["netra-evidence", "reconcile"], ["netra-evidence", "rotate-key"], ["netra-evidence", "sweep"],
    ["netra-evidence", "verify"],
    ["netra-casework"], ["netra-casework", "access-report"], ["netra-casework", "check-calendar"],
    ["netra-casework", "checkpoint"], ["netra-casework", "retention"], ["netra-casework", "retention", "run"],
    ["netra-casework", "subject-report"],
    ["netra-casework", "ensure-user"], ["netra-casework", "rebuild-projections"], ["netra-casework", "totp-code"],
    ["netra-casework", "vault-init"], ["netra-casework", "vault-recover"],
    ["netra-casework", "verify-dossier"], ["netra-casework", "verify-log"],
    ["netra-notify"], ["netra-notify", "dead-letters"], ["netra-notify", "dead-letters", "list"],
    ["netra-notify", "dead-letters", "resend"], ["netra-notify", "dead-letters", "show"],
    ["netra-notify", "send-digests"],
]


def every_command(path: list[str], command: click.Command):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from every_command([*path, name], sub)


def test_the_help_test_lists_every_operator_command():
    found = [path for program, (_, command) in PROGRAMS.items() for path in every_command([program], command)]
    assert sorted(found) == sorted(COMMANDS)


# Each program prints the help of all its commands in one run (a Python start costs seconds here).
HELP_OF_EACH = """
import importlib, json, sys
module, program, paths = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
main = importlib.import_module(module).main
for path in paths:
    print("=====", " ".join(path), flush=True)
    main([*path, "--help"], prog_name=program, standalone_mode=False)
    sys.stdout.flush()
"""


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_command_explains_itself_in_indonesian(program):
    paths = [c[1:] for c in COMMANDS if c[0] == program]
    done = subprocess.run([sys.executable, "-c", HELP_OF_EACH, PROGRAMS[program][0], program, json.dumps(paths)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    helps = done.stdout.split("===== ")[1:]
    assert len(helps) == len(paths)
    for path, shown in zip(paths, helps, strict=True):
        name, shown = shown.split("\n", 1)
        assert name == " ".join(path)
        assert shown.startswith(f"Pemakaian: {' '.join([program, *path])}"), shown
        assert "Tampilkan bantuan ini lalu keluar." in shown, name
        summary = shown.split("\n\n")[1].strip()
        assert summary and not re.search(r"\b(the|and|of|every|this|is)\b", summary), f"{name}: {summary}"
        for english in ("Usage:", "Show this message", "Options:", "Commands:"):
            assert english not in shown, f"{name}: {english}"


def test_totp_code_takes_the_secret_as_its_help_says():
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    done = subprocess.run([sys.executable, "-m", "services.casework.admin", "totp-code", secret],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {pyotp.TOTP(secret).at(time.time() + d) for d in (-30, 0, 30)}
    wrong = subprocess.run([sys.executable, "-m", "services.casework.admin", "totp-code", "bukan-rahasia"],
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2 and "bukan rahasia TOTP" in wrong.stderr and "Traceback" not in wrong.stderr


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


def as_an_operator(stack, *command: str, **extra: str) -> subprocess.CompletedProcess:
    """A command typed in a shell that holds only what `make run` reads (NETRA_DATA_DIR, NETRA_DB_NAME,
    the ports ...): never the service's own settings (NETRA_DB_URL, its keys), which the command must
    find as `make run` gives them (.netra/secrets.json in the data folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(stack.settings.as_env(), **extra)
    return subprocess.run([sys.executable, "-m", *command], env=env, capture_output=True, text=True,
                          timeout=120, input="kuda-laut-berenang-7\n")


@pytest.fixture(scope="module")
def untouched_stack(test_output):
    """A stack of its own, whose store `verify` must find clean: the session's holds what other tests
    tampered with and keys they rotated on purpose (tests/e2e/test_evidence_custody.py)."""
    with isolated_stack(test_output) as running:
        yield running


@pytest.fixture(scope="module")
def untouched_db(untouched_stack):
    from sqlalchemy import create_engine

    engine = create_engine(untouched_stack.settings.db_url, pool_size=1, max_overflow=1)
    yield engine
    engine.dispose()


def test_operator_commands_act_on_the_running_stack_with_make_runs_settings_alone(untouched_stack, untouched_db):
    stack, stack_db = untouched_stack, untouched_db
    verified = as_an_operator(stack, "services.evidence.admin", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr  # S3 keys and master keys found
    assert "checked" in verified.stdout

    made = as_an_operator(stack, "services.casework.admin", "ensure-user", "--username", "operator-uji",
                          "--full-name", "Operator Uji", "--role", "anggota", "--password-stdin")
    assert made.returncode == 0, made.stderr
    with stack_db.connect() as conn:  # in the stack's database (NETRA_DB_NAME), not in `netra`
        assert conn.execute(text("SELECT role FROM casework.users WHERE username = 'operator-uji'")).scalar() == \
            "anggota"
    listed = as_an_operator(stack, "services.intake.admin", "work-units", "list")
    assert listed.returncode == 0 and "Dinas" in listed.stdout
    parked = as_an_operator(stack, "netra_common.bus.cli", "dead-letters")
    assert parked.returncode == 0, parked.stderr
    letters = as_an_operator(stack, "services.notify.admin", "dead-letters", "list")
    assert letters.returncode == 0, letters.stderr


@pytest.mark.parametrize("command", [("services.evidence.admin", "verify"),
                                     ("services.casework.admin", "verify-log"),
                                     ("services.intake.admin", "work-units", "list"),
                                     ("services.notify.admin", "dead-letters", "list")])
def test_a_missing_database_is_refused_in_one_line(stack, command):
    done = as_an_operator(stack, *command, NETRA_DB_NAME="netra_tidak_ada")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "basis data tidak bisa dipakai" in done.stderr and "netra_tidak_ada" in done.stderr


def test_the_database_name_counts_without_a_data_folder_too(tmp_path):
    """Where no `make run` keeps a data folder, NETRA_DB_NAME still names the database (not `netra`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    env.update(NETRA_DATA_DIR=str(tmp_path / "tidak-ada"), NETRA_DB_NAME="netra_tidak_ada")
    done = subprocess.run([sys.executable, "-m", "services.casework.admin", "ensure-user", "--username", "siapa",
                           "--full-name", "Siapa Saja", "--role", "anggota", "--password-stdin"], env=env,
                          input="kuda-laut-berenang-7\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "/netra_tidak_ada" in done.stderr and "Traceback" not in done.stderr
