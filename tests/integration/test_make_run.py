"""`make run`'s command: clear words when PostgreSQL or RabbitMQ is missing; starts, stops
cleanly on Ctrl-C, and starts again over its own data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from netra_stack import checks, database
from netra_stack.settings import SERVICES, free_port

from netra_common.bus import topology
from netra_common.bus.settings import BusSettings


def test_an_unreachable_postgres_is_named_with_the_command_that_starts_it():
    with pytest.raises(checks.Unreachable) as refused:
        checks.check_postgres(f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}")
    assert "PostgreSQL is not reachable" in str(refused.value)
    assert "pg_ctlcluster --skip-systemctl-redirect" in str(refused.value)


def test_an_unreachable_rabbitmq_is_named_with_the_command_that_starts_it():
    with pytest.raises(checks.Unreachable) as refused:
        checks.check_rabbitmq(f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    assert "RabbitMQ is not reachable" in str(refused.value)
    assert "rabbitmq-server -detached" in str(refused.value)


def _stack_env(tmp_path, **overrides) -> dict:
    tag = uuid.uuid4().hex[:8]
    env = {**os.environ,
           "NETRA_DATA_DIR": str(tmp_path / "netra-data"), "NETRA_DB_NAME": f"netra_run_{tag}",
           "NETRA_BUS_PREFIX": f"netra-run-{tag}", "NETRA_SMTP_PORT": str(free_port()),
           "NETRA_SEAWEED_PORTS": ",".join(str(free_port()) for _ in range(8))}
    env.update({f"NETRA_{name.upper()}_PORT": str(free_port()) for name in SERVICES})
    env.update(overrides)
    return env


def test_make_run_refuses_to_start_without_rabbitmq_and_says_why(tmp_path):
    env = _stack_env(tmp_path, NETRA_AMQP_URI=f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    done = subprocess.run([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "RabbitMQ is not reachable" in done.stderr
    assert "rabbitmq-server -detached" in done.stderr


def _run_until_ready_then_interrupt(env) -> str:
    process = subprocess.Popen([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if "Ctrl-C stops everything" in line:
            break
    ready = any("Ctrl-C stops everything" in line for line in output)
    process.send_signal(signal.SIGINT)
    process.wait(60)
    # Read through the same buffered reader: communicate() would skip what it holds.
    output.append(process.stdout.read())
    text = "".join(output)
    assert ready, text
    assert process.returncode == 0, text
    return text


def test_make_run_starts_prints_its_doors_stops_on_ctrl_c_and_runs_again(tmp_path):
    env = _stack_env(tmp_path)
    try:
        first = _run_until_ready_then_interrupt(env)
        for door in ("public portal and API (intake)", "team API (casework)", "mail sink",
                     "username: ketua", "password:"):
            assert door in first
        assert f"127.0.0.1:{env['NETRA_INTAKE_PORT']}" in first
        assert "netra: stopped." in first

        second = _run_until_ready_then_interrupt(env)
        assert "created database" not in second  # the same database, kept
        # The development password is kept too, so a developer's login still works.
        assert first.split("password:")[1].split()[0] == second.split("password:")[1].split()[0]
    finally:
        database.drop_database("postgresql+psycopg2://postgres@127.0.0.1:5432", env["NETRA_DB_NAME"])
        topology.delete(BusSettings(prefix=env["NETRA_BUS_PREFIX"]))
