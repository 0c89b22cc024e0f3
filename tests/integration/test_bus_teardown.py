"""`netra-bus teardown --prefix P` removes a stack's queues and exchanges from the broker (each
prefix holds over a hundred quorum queues; a few hundred wedge a single node, docs/decisions/0001).
The tests' stacks go the same way (tests/conftest.py `teardown_bus`)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

from kombu import Connection
from netra_stack.settings import StackSettings

from netra_common.bus import topology
from netra_common.bus.rpc import rpc_exchange
from netra_common.bus.settings import BusSettings


def netra_bus(settings: BusSettings, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETRA_AMQP_URI": settings.amqp_uri,
           "NETRA_RETRY_DELAYS_MS": ",".join(str(d) for d in settings.retry_delays_ms)}
    return subprocess.run([sys.executable, "-m", "netra_common.bus.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def exchange_exists(settings: BusSettings, name: str) -> bool:
    with Connection(settings.amqp_uri) as connection:
        try:
            connection.channel().exchange_declare(exchange=name, type="topic", passive=True)
            return True
        except Exception:  # noqa: BLE001 - a refusal means it is not there
            return False


ONE = {"casework": ("complaint_submitted",)}  # a neighbour with one subscription is enough


def test_teardown_removes_every_queue_and_exchange_of_its_prefix_only():
    amqp_uri = StackSettings.from_env().amqp_uri
    gone = BusSettings(amqp_uri, f"netra-test-teardown-{uuid.uuid4().hex[:8]}", (300, 600))
    kept = BusSettings(amqp_uri, f"{gone.prefix}x", (300, 600))  # a longer name starting the same
    names = [q.name for q in topology.all_queues(gone)]
    topology.declare(gone)
    topology.declare(kept, ONE)
    with Connection(gone.amqp_uri) as connection:  # as nameko does when an @rpc service starts
        channel = connection.channel()
        channel.exchange_declare(exchange=rpc_exchange(gone), type="topic", durable=True)
        channel.queue_declare(queue=gone.rpc_queue("casework"), durable=True)
    assert not topology.missing_queues(gone, names)

    done = netra_bus(gone, "teardown", "--prefix", gone.prefix)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"dihapus {len(names) + 1} antrean dan 2 exchange dengan awalan '{gone.prefix}'"
    assert topology.missing_queues(gone, [*names, gone.rpc_queue("casework")]) == [*names, gone.rpc_queue("casework")]
    assert not exchange_exists(gone, gone.events_exchange) and not exchange_exists(gone, rpc_exchange(gone))
    # Another stack's topology is untouched.
    try:
        assert not topology.missing_queues(kept, [q.name for q in topology.all_queues(kept, ONE)])
        assert exchange_exists(kept, kept.events_exchange)
    finally:
        topology.delete(kept, ONE)

    again = netra_bus(gone, "teardown", "--prefix", gone.prefix)
    assert again.returncode == 0 and "dihapus 0 antrean dan 0 exchange" in again.stdout


def test_teardown_names_its_prefix_or_refuses():
    refused = subprocess.run([sys.executable, "-m", "netra_common.bus.cli", "teardown"], capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode == 2 and "--prefix" in refused.stderr
