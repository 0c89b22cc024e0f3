"""Fixtures shared by every kind of test.

`stack` starts the whole system once per test session, isolated from `make run`:
its own database, bus prefix, ports, SeaweedFS and SMTP sink, all under
test-output/ so a failing run leaves its logs behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from netra_stack import database
from netra_stack.servers import LocalServers
from netra_stack.settings import PROJECT_ROOT, StackSettings
from netra_stack.stack import Stack

from tests import xdist_groups
from tests.support.accounts import TeamClient, dev_ketua, enrol, log_in

__all__ = ["TeamClient", "enrol", "log_in"]  # tests import these from here too

TEST_OUTPUT = PROJECT_ROOT / "test-output"


def pytest_collection_modifyitems(config, items):
    if xdist_groups.runs_in_shares(config):
        xdist_groups.check(items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two pytest-xdist workers with `--dist loadgroup`: the groups are
    tests/xdist_groups.py's (a group's tests on one worker, in the order collected)."""
    if config.getvalue("dist") == "loadgroup":
        return xdist_groups.Groups(config, log)
    return None


@pytest.fixture(scope="session")
def test_output() -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


def pytest_configure(config):
    """`make test` where no PostgreSQL or RabbitMQ answers on the settings' ports: private ones under
    test-output/servers for the whole run (netra_stack/servers.py), stopped at its end; where the
    machine's answer (the usual case), nothing is started. Started once, by the process that is not an
    xdist worker (the workers share them); unit tests alone need neither."""
    if hasattr(config, "workerinput"):
        return
    paths = [str(a) for a in config.args] or list(config.getini("testpaths"))
    if paths and all("tests/unit" in path for path in paths):
        return
    TEST_OUTPUT.mkdir(exist_ok=True)
    servers = LocalServers(StackSettings.from_env(), TEST_OUTPUT / "servers", progress=print)
    config.stash[_SERVERS] = servers
    servers.ensure()


def pytest_unconfigure(config):
    servers = config.stash.get(_SERVERS, None)
    if servers is not None:
        servers.stop()


_SERVERS = pytest.StashKey[LocalServers]()


@contextmanager
def isolated_stack(test_output: Path):
    with isolated_stack_from(test_output) as running:
        yield running


@contextmanager
def isolated_stack_from(test_output: Path, **overrides):
    """An isolated stack with `overrides` on its settings (the fault run's proxied addresses)."""
    run_dir = test_output / f"stack-{uuid.uuid4().hex[:8]}"
    settings = StackSettings.for_tests(run_dir, **overrides)
    running = Stack(settings)
    try:
        running.prepare()
        running.start_services()
        yield running
    finally:
        # Also after a failed start or an interrupted run: a stack's ~115 queues left on the
        # shared broker use up its file handles, and then no one's connections get through.
        running.stop(fast=True)
        _forget(running, settings)
        # Keep the logs for a look after a failure; drop the bulky S3 data.
        shutil.rmtree(run_dir / "seaweedfs", ignore_errors=True)


def teardown_bus(running: Stack) -> None:
    """The operator's own door, `netra-bus teardown`, with the stack's settings."""
    done = subprocess.run([sys.executable, "-m", "netra_common.bus.cli", "teardown", "--prefix",
                           running.settings.bus_prefix],
                          env={**os.environ, "NETRA_AMQP_URI": running.settings.amqp_uri,
                               "NETRA_RETRY_DELAYS_MS": running.settings.retry_delays_ms},
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or done.stdout.strip())


def _forget(running: Stack, settings: StackSettings) -> None:
    for remove in (lambda: teardown_bus(running),
                   lambda: database.drop_database(settings.pg_url, settings.database)):
        try:
            remove()
        except Exception as exc:  # noqa: BLE001 - clean up what can be; say what could not
            print(f"could not clean up {settings.bus_prefix}: {type(exc).__name__}: {exc}")


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


@pytest.fixture(scope="session")
def ketua(stack) -> TeamClient:
    """The development account: the stack's first ketua, active at once (the server's bootstrap)."""
    return dev_ketua(stack)


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
