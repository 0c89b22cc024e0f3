"""`make run`'s command: clear words when PostgreSQL or RabbitMQ is missing; starts, stops
cleanly on Ctrl-C, and starts again over its own data."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import socket
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from netra_stack import checks, database
from netra_stack.settings import SERVICES, free_port, free_ports

from netra_common.bus import topology
from netra_common.bus.settings import BusSettings

PG_URL = os.environ.get("NETRA_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")


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


def test_a_refused_login_is_told_apart_from_a_server_that_is_not_there():
    with pytest.raises(checks.Unreachable) as refused:
        checks.check_rabbitmq("amqp://guest:salah-sandi@127.0.0.1:5672/")
    assert "refused the login" in str(refused.value) and "NETRA_AMQP_URI" in str(refused.value)
    with pytest.raises(checks.Unreachable) as refused:
        checks.check_postgres(PG_URL.replace("postgres@", "bukan_pengguna_netra@", 1))
    assert "refused the login" in str(refused.value) and "NETRA_PG_URL" in str(refused.value)


def test_a_port_already_taken_is_named_before_anything_starts(tmp_path):
    env = _stack_env(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(env["NETRA_INTAKE_PORT"])))
        taken.listen()
        done = subprocess.run([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"{env['NETRA_INTAKE_PORT']} (intake)" in done.stderr and "another `make run`" in done.stderr
    assert not _children_of(env)


def _children_of(env: dict) -> list[str]:
    """Processes still running with this stack's bus prefix in their environment (all it starts)."""
    left = []
    for pid in _pids_of(env):
        try:
            left.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return left


def _stack_env(tmp_path, **overrides) -> dict:
    tag = uuid.uuid4().hex[:8]
    # All chosen at once: ports asked for one at a time may come back twice, and two of the
    # stack's servers would then want one port.
    ports = iter(free_ports(9 + 2 * len(SERVICES)))
    env = {**os.environ,
           "NETRA_DATA_DIR": str(tmp_path / "netra-data"), "NETRA_DB_NAME": f"netra_run_{tag}",
           "NETRA_BUS_PREFIX": f"netra-run-{tag}", "NETRA_SMTP_PORT": str(next(ports)),
           "NETRA_SEAWEED_PORTS": ",".join(str(next(ports)) for _ in range(8))}
    env.update({f"NETRA_{name.upper()}_PORT": str(next(ports)) for name in SERVICES})
    # each service's metrics address too: two runs (or two helpers) never share one
    env.update({f"NETRA_{name.upper()}_METRICS_PORT": str(next(ports)) for name in SERVICES})
    env.update(overrides)
    return env


def test_make_run_refuses_to_start_without_a_broker_elsewhere_and_says_why(tmp_path):
    # A broker named elsewhere is never started here (tests/integration/test_make_run_own_servers.py
    # is the one on this machine): 127.0.0.2 is not a name for this machine in the settings.
    env = _stack_env(tmp_path, NETRA_AMQP_URI=f"amqp://guest:guest@127.0.0.2:{free_port()}/")
    done = subprocess.run([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "RabbitMQ is not reachable" in done.stderr
    assert "rabbitmq-server -detached" in done.stderr


def _run_until_then_signal(env, seen: str = "Ctrl-C stops everything", signum=signal.SIGINT) -> str:
    """Start `netra-stack run`, wait for a line holding `seen`, send `signum`, return all it said."""
    process = subprocess.Popen([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if seen in line:
            break
    reached = any(seen in line for line in output)
    process.send_signal(signum)
    process.wait(60)
    # Read through the same buffered reader: communicate() would skip what it holds.
    output.append(process.stdout.read())
    text = "".join(output)
    assert reached, text
    assert process.returncode == 0, text
    return text


def _on_a_terminal_until_then_signal(env, seen: str = "Ctrl-C stops everything") -> str:
    """The same, with the run's output on a terminal (a pseudo-terminal) rather than a pipe.

    Bounded on its own: a run that does not end within two minutes of the signal is killed and
    the test fails with what it said and its logs' last lines (never the suite's timeout, which
    shows nothing of the run)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                               stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
    os.close(terminal)
    said, deadline, signalled = b"", time.monotonic() + 120, False
    while True:
        ready, _, _ = select.select([controller], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the run has ended and closed the terminal
                break
            if not chunk:
                break
            said += chunk
        elif process.poll() is not None:
            break
        if not signalled and (seen.encode() in said or time.monotonic() > deadline):
            process.send_signal(signal.SIGINT)
            signalled, deadline = True, time.monotonic() + 120
        elif signalled and time.monotonic() > deadline:
            _kill_the_run(process, env)
            pytest.fail("the run did not end within 120 s of Ctrl-C:\n" + said.decode(errors="replace")
                        + _log_tails(env))
    process.wait(60)
    os.close(controller)
    text = said.decode(errors="replace").replace("\r\n", "\n")
    assert seen in text and process.returncode == 0, text + _log_tails(env)
    return text


def _kill_the_run(process, env: dict) -> None:
    process.kill()
    process.wait(10)
    for pid in _pids_of(env):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _pids_of(env: dict) -> list[int]:
    marker = f"NETRA_BUS_PREFIX={env['NETRA_BUS_PREFIX']}".encode()
    pids = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (process / "environ").read_bytes().split(b"\0"):
                pids.append(int(process.name))
        except OSError:
            continue
    return pids


def _log_tails(env: dict, lines: int = 15) -> str:
    tails = []
    for log in sorted((Path(env["NETRA_DATA_DIR"]) / "logs").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        tails.append(f"\n--- {log.name} ---\n" + "\n".join(tail))
    return "".join(tails)


# Three runs, each starting and stopping SeaweedFS (its stop alone takes ~15 s): on two busy cores
# the suite's 300 s is too little for three, and each run is bounded on its own.
@pytest.mark.timeout(600)
def test_make_run_starts_prints_its_doors_stops_on_ctrl_c_and_runs_again(tmp_path):
    env = _stack_env(tmp_path)
    data = Path(env["NETRA_DATA_DIR"])
    try:
        first = _on_a_terminal_until_then_signal(env)
        for door in ("public portal and API (intake)", "team API (casework)", "team console (casework)",
                     "mail sink", "username: ketua", "netra-stack password", "netra-stack otp"):
            assert door in first
        assert f"127.0.0.1:{env['NETRA_INTAKE_PORT']}" in first
        assert "netra: stopped." in first
        secrets = json.loads((data / "secrets.json").read_text())
        # Shown once, on the terminal of the run that made it.
        assert f"password (shown this once): {secrets['dev_team_password']}" in first
        assert secrets["dev_team_totp_secret"] in first
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert stat.S_IMODE((data / "secrets.json").stat().st_mode) == 0o600

        assert not _children_of(env)

        second = _run_until_then_signal(env, signum=signal.SIGHUP)  # the terminal closed
        assert "created database" not in second  # the same database, kept
        # Never again, and never into a pipe or a log: only where to find it.
        assert secrets["dev_team_password"] not in second and secrets["dev_team_totp_secret"] not in second
        assert str(data / "secrets.json") in second and "netra-stack password" in second
        # The development password is kept too, so a developer's login still works.
        assert json.loads((data / "secrets.json").read_text()) == secrets
        assert not _children_of(env)

        interrupted = _run_until_then_signal(env, seen="starting SeaweedFS")
        assert "stopped while starting" in interrupted and "Ctrl-C stops everything" not in interrupted
        assert not _children_of(env)
        log_text = "".join(p.read_text(errors="replace") for p in (data / "logs").glob("*.log"))
        assert secrets["dev_team_password"] not in log_text
    finally:
        database.drop_database(PG_URL, env["NETRA_DB_NAME"])
        topology.delete(BusSettings(prefix=env["NETRA_BUS_PREFIX"]))


def _pid_of(env: dict, service: str) -> int:
    marker = f"NETRA_BUS_PREFIX={env['NETRA_BUS_PREFIX']}".encode()
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if marker in (process / "environ").read_bytes().split(b"\0") and \
                    (process / "cmdline").read_bytes().split(b"\0")[-2:-1] == [service.encode()]:
                return int(process.name)
        except OSError:
            continue
    raise LookupError(f"no {service} process")


def _read_until(process, output: list[str], seen: str, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            return False
        output.append(line)
        if seen in line:
            return True
    return False


def test_make_run_restarts_a_killed_service_and_says_so(tmp_path):
    env = _stack_env(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "netra_stack.cli", "run", "--quiet"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        assert _read_until(process, output, "Ctrl-C stops everything"), "".join(output)
        killed = _pid_of(env, "intake")
        os.kill(killed, signal.SIGKILL)
        assert _read_until(process, output, "intake dinyalakan ulang", timeout=30), "".join(output)
        said = "".join(output)
        assert "intake berhenti (sinyal SIGKILL); dinyalakan ulang dalam 1 detik" in said
        url = f"http://127.0.0.1:{env['NETRA_INTAKE_PORT']}/healthz"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        assert requests.get(url, timeout=2).status_code == 200  # the public door is open again
        assert _pid_of(env, "intake") != killed
        assert process.poll() is None  # the rest kept running all along
        process.send_signal(signal.SIGINT)
        process.wait(60)
        output.append(process.stdout.read())
        assert process.returncode == 0 and "netra: stopped." in "".join(output)
        assert not _children_of(env)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        database.drop_database(PG_URL, env["NETRA_DB_NAME"])
        topology.delete(BusSettings(prefix=env["NETRA_BUS_PREFIX"]))
