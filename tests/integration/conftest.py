"""The probe service: netra_common's pieces in a real nameko process, on the test stack's
PostgreSQL, RabbitMQ and SeaweedFS."""

from __future__ import annotations

import sys
import uuid

import pytest
import requests
from netra_stack import database
from netra_stack.processes import ManagedProcess, wait_until
from netra_stack.settings import free_port
from sqlalchemy import create_engine, text

from netra_common.bus import topology
from netra_common.migrate import upgrade
from tests.support import probe_tables

PROBE_SUBSCRIPTIONS = {"probe": ("complaint_submitted",)}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.infra)


class Probe:
    def __init__(self, engine, process: ManagedProcess, port: int):
        self.engine = engine
        self.process = process
        self.url = f"http://127.0.0.1:{port}"

    def restart(self, **env) -> None:
        self.process.stop()
        self.process.env = {**self.process.env, **env}
        self.process.start()
        self.wait_ready()

    def wait_ready(self) -> None:
        wait_until(lambda: requests.get(f"{self.url}/fast", timeout=2).ok, timeout=60,
                   what="the probe service", process=self.process)

    def effects(self, event_id: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM probe.effects WHERE event_id = :e"),
                                {"e": event_id}).scalar_one()


def create_probe_tables(stack_db) -> None:
    with stack_db.begin() as conn:
        conn.execute(text("CREATE SCHEMA IF NOT EXISTS probe"))
    probe_tables.metadata.create_all(stack_db)


def start_probe(stack, stack_db, name: str = "probe", extra_env: dict | None = None) -> Probe:
    """A probe service process; `extra_env` may point it elsewhere (a proxy, another bus prefix)."""
    port = free_port()
    admin = stack.secrets["s3"]["admin"]
    env = stack.service_env("probe", {
        "PROBE_ADDRESS": f"127.0.0.1:{port}", "PROBE_BUCKET": "quarantine",
        "PROBE_S3_ACCESS_KEY": admin["access_key"], "PROBE_S3_SECRET_KEY": admin["secret_key"],
        # The tests drive the probe schema's outbox themselves.
        "NETRA_OUTBOX_RELAY": "off",
        **(extra_env or {}),
    })
    process = ManagedProcess(name, [sys.executable, "-m", "tests.support.probe_service"],
                             env=env, log_path=stack.settings.log_dir / f"{name}.log")
    process.start()
    running = Probe(stack_db, process, port)
    try:
        running.wait_ready()
    except BaseException:
        process.stop()
        raise
    return running


@pytest.fixture(scope="session")
def probe(stack, stack_db):
    create_probe_tables(stack_db)
    topology.declare(stack.bus, PROBE_SUBSCRIPTIONS)
    running = start_probe(stack, stack_db)
    yield running
    running.process.stop()
    topology.delete(stack.bus, PROBE_SUBSCRIPTIONS)


@pytest.fixture(scope="module")
def casework_db(stack):
    """casework's schema in a database of its own, for tests that drive its pieces directly."""
    name = f"netra_es_{uuid.uuid4().hex[:8]}"
    database.ensure_database(stack.settings.pg_url, name)
    url = stack.settings.db_url.rsplit("/", 1)[0] + f"/{name}"
    upgrade("casework", url)
    upgrade("intake", url)  # its migrations make the key store (intake_0012) the vault and purge use
    engine = create_engine(url, pool_size=20, max_overflow=20)
    yield engine, url
    engine.dispose()
    database.drop_database(stack.settings.pg_url, name)
