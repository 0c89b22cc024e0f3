"""Three RabbitMQ nodes (Debian's rabbitmq-server) joined into one cluster, with the policies that
make every main queue drop nothing: a delivery limit, then at-least-once dead-lettering into its
parked (dead-letter) queue.

Each node has its own name, ports, data, log, pid, plugins and configuration files (the variables
the Debian scripts read), and all three one Erlang cookie in the cluster's folder (HOME). Run as
root, as the private RabbitMQ of netra_stack/servers.py is; the machine's own node (5672, its
cookie in /var/lib/rabbitmq) is never read, started or stopped here.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import subprocess
import time

from netra_common.bus.settings import BusSettings
from netra_common.bus.subscriptions import subscription_pairs
from netra_stack.processes import ManagedProcess, port_open, wait_until
from netra_stack.servers import RABBITMQ_SERVER

from .settings import NODES, ClusterSettings

RABBITMQCTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"
# A handler that keeps a process from settling its message (it dies on it) gets this many
# deliveries; then the broker parks the message itself, at-least-once.
DELIVERY_LIMIT = 20
# Each node stays small on a shared machine; the production figures are in docs/operations.md.
MEMORY_LIMIT = "300MiB"


def node_env(cluster: ClusterSettings, index: int) -> dict:
    base = cluster.rabbit_dir / f"node{index + 1}"
    for sub in ("mnesia", "log", "plugins-expand"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    (base / "rabbitmq.conf").write_text(
        f"listeners.tcp.1 = 127.0.0.1:{cluster.amqp_ports[index]}\n"
        f"vm_memory_high_watermark.absolute = {MEMORY_LIMIT}\n"
        "disk_free_limit.absolute = 100MB\n"
        # A node that lost its peers keeps serving what it can (quorum queues decide by majority).
        "cluster_partition_handling = pause_minority\n")
    (base / "enabled_plugins").write_text("[].\n")
    (base / "rabbitmq-env.conf").write_text("")  # never the machine's (its node name, its port)
    return {
        **os.environ,
        "HOME": str(cluster.rabbit_dir),  # the cluster's one Erlang cookie
        "RABBITMQ_NODENAME": cluster.node(index),
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_NODE_PORT": str(cluster.amqp_ports[index]),
        "RABBITMQ_DIST_PORT": str(cluster.dist_ports[index]),
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
        "RABBITMQ_FEATURE_FLAGS_FILE": str(base / "feature_flags"),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_MNESIA_DIR": str(base / "mnesia" / cluster.node(index)),
        "RABBITMQ_LOG_BASE": str(base / "log"), "RABBITMQ_LOGS": "-",
        "RABBITMQ_PID_FILE": str(base / "rabbitmq.pid"),
        "RABBITMQ_PLUGINS_EXPAND_DIR": str(base / "plugins-expand"),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        # One scheduler and no busy-waiting: three idle nodes on two shared cores stay idle.
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1} "
                                               "+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none",
    }


def _cookie(cluster: ClusterSettings) -> None:
    cookie = cluster.rabbit_dir / ".erlang.cookie"
    if not cookie.exists():
        cluster.rabbit_dir.mkdir(parents=True, exist_ok=True)
        cookie.write_text(secrets.token_hex(20))
        cookie.chmod(0o400)


def node_process(cluster: ClusterSettings, index: int) -> ManagedProcess:
    _cookie(cluster)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    if wanted > soft:  # RabbitMQ's file-handle budget comes from this (decision 0001)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return ManagedProcess(f"rabbitmq-{index + 1}", [RABBITMQ_SERVER], env=node_env(cluster, index),
                          log_path=cluster.log_dir / f"rabbitmq-{index + 1}.log", stop_timeout=60)


def ctl(cluster: ClusterSettings, index: int, *args: str, timeout: float = 120) -> str:
    done = subprocess.run([RABBITMQCTL, "-n", cluster.node(index), *args], env=node_env(cluster, index),
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} on {cluster.node(index)}: "
                           f"{(done.stderr or done.stdout).strip()}")
    return done.stdout


def wait_node(cluster: ClusterSettings, index: int, process: ManagedProcess, timeout: float = 180) -> None:
    wait_until(lambda: port_open(cluster.amqp_ports[index]), timeout=timeout, interval=0.5,
               what=f"RabbitMQ node {cluster.node(index)}", process=process)


def members(cluster: ClusterSettings, index: int = 0) -> list[str]:
    status = json.loads(ctl(cluster, index, "cluster_status", "--formatter", "json"))
    return sorted(status.get("running_nodes", []))


def form(cluster: ClusterSettings, processes: dict[str, ManagedProcess], progress) -> None:
    """Nodes 2 and 3 join node 1; a node that is already a member (a second start) is left alone."""
    for index in range(1, NODES):
        if cluster.node(index) in members(cluster, 0):
            continue
        progress(f"RabbitMQ node {index + 1} joins the cluster")
        ctl(cluster, index, "stop_app")
        ctl(cluster, index, "join_cluster", cluster.node(0))
        ctl(cluster, index, "start_app")
    wait_until(lambda: len(members(cluster)) == NODES, timeout=60, interval=1, what="three running nodes")


def policies(bus: BusSettings, subscriptions=None) -> list[dict]:
    """One policy per main queue: after DELIVERY_LIMIT deliveries (a consumer that died on the
    message each time) the broker moves it to the queue's own parked queue, at-least-once (the
    copy stays until the parked queue confirms it, which needs overflow=reject-publish)."""
    found = []
    for service, event_type in subscription_pairs(subscriptions):
        main = bus.queue(service, event_type)
        found.append({
            "vhost": "/", "name": f"{main}.no-drop", "pattern": "^" + main.replace(".", r"\.") + "$",
            "apply-to": "queues", "priority": 10,
            "definition": {"delivery-limit": DELIVERY_LIMIT, "dead-letter-exchange": "",
                           "dead-letter-routing-key": bus.dead_queue(service, event_type),
                           "dead-letter-strategy": "at-least-once", "overflow": "reject-publish"}})
    return found


def apply_policies(cluster: ClusterSettings, bus: BusSettings) -> int:
    """All the policies in one import (a rabbitmqctl call per policy takes seconds each)."""
    path = cluster.rabbit_dir / "policies.json"
    found = policies(bus)
    path.write_text(json.dumps({"policies": found}))
    ctl(cluster, 0, "import_definitions", str(path))
    return len(found)


def queue_members(cluster: ClusterSettings, bus: BusSettings) -> dict[str, tuple[str, int, str]]:
    """Each of the cluster's queues under the bus prefix: (type, replica count, effective policy)."""
    out = ctl(cluster, 0, "list_queues", "name", "type", "members", "policy", "--formatter", "json")
    found = {}
    for row in json.loads(out):
        if row["name"].startswith(bus.prefix + "."):
            found[row["name"]] = (row["type"], len(row.get("members") or []), row.get("policy") or "")
    return found


def wait_quorum_leaders(cluster: ClusterSettings, timeout: float = 60) -> None:
    """Quorum queues have a leader again (after a node died) once every queue answers a status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            ctl(cluster, 0, "list_queues", "name", "leader", timeout=20)
            return
        except (RuntimeError, subprocess.TimeoutExpired):
            time.sleep(1)
