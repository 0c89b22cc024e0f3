"""The cluster, in order: RabbitMQ's three nodes (joined, with their policies), PostgreSQL primary
and standby, SeaweedFS (master, volumes, filer with S3), the mail sink, migrations, topology, the
development account and vault (netra_stack.Stack's own steps), two replicas of every service,
nginx. Stopped in the reverse order; every process is a child of this one, in its own group."""

from __future__ import annotations

import signal
import sys
import time

import psycopg2
import requests

from netra_common.bus import topology
from netra_common.migrate import upgrade
from netra_stack import checks, private
from netra_stack import secrets as dev_secrets
from netra_stack.processes import ManagedProcess, port_open, wait_until
from netra_stack.seaweed import wait_ready_and_create_buckets
from netra_stack.settings import SERVICES
from netra_stack.stack import Stack

from . import nginx, postgres, rabbit, seaweed
from .settings import NODES, REPLICAS, ClusterSettings

# The order things stop in: the doors first, then the services, then what they use.
STOP_ORDER = ("nginx", "smtp-sink", "seaweed-s3", "seaweed-filer", *(f"seaweed-volume-{i + 1}" for i in range(NODES)),
              "seaweed-master", "postgresql-standby", "postgresql-primary",
              *(f"rabbitmq-{i + 1}" for i in range(NODES)))


def replica_name(service: str, index: int) -> str:
    return f"{service}-{index + 1}"


class ClusterStack(Stack):
    def __init__(self, cluster: ClusterSettings, *, echo: bool = False, progress=None):
        super().__init__(cluster.stack_settings(), echo=echo, progress=progress)
        self.cluster = cluster
        self.failed_over = False  # the standby was promoted: the old primary stays down

    # --- the servers --------------------------------------------------------------

    def prepare(self, before_migrations=None) -> None:
        c, s = self.cluster, self.settings
        private.folder(c.data_dir)
        checks.check_ports_free(c.listening_ports())
        self.progress("starting three RabbitMQ nodes")
        for index in range(NODES):
            self._start_infra(f"rabbitmq-{index + 1}", rabbit.node_process(c, index))
        self.progress("starting PostgreSQL (primary)")
        if postgres.init_primary(c):
            self.progress("made the primary with initdb")
        self._start_infra("postgresql-primary", postgres.process(c, "primary"))
        postgres.wait_answers(c.pg_ports[0], "the PostgreSQL primary", self.infra["postgresql-primary"])
        if postgres.init_standby(c):
            self.progress("made the standby with pg_basebackup")
        self._start_infra("postgresql-standby", postgres.process(c, "standby"))
        postgres.wait_answers(c.pg_ports[1], "the PostgreSQL standby", self.infra["postgresql-standby"])
        wait_until(lambda: postgres.streaming(c), timeout=60, what="the standby streaming")
        self.secrets_are_new = not dev_secrets.secrets_file(c.data_dir).exists()
        self.secrets = dev_secrets.load_or_create(c.data_dir)
        self._ensure_database()
        self.progress("starting SeaweedFS (master, three volume servers, filer, S3)")
        for name, proc in seaweed.processes(c, self.secrets).items():
            self._start_infra(name, proc)
        self.keeper = private.Keeper(c.data_dir / "seaweedfs").start()
        wait_ready_and_create_buckets(s, self.secrets, self.infra["seaweed-s3"])
        self.progress("starting the SMTP sink")
        self._start_infra("smtp-sink", ManagedProcess(
            "smtp-sink", [sys.executable, "-m", "netra_stack.smtp_sink", "--port", str(s.smtp_port),
                          "--dir", str(s.mail_dir)], log_path=s.log_dir / "smtp-sink.log"))
        wait_until(lambda: port_open(s.smtp_port), timeout=20, what="SMTP sink", process=self.infra["smtp-sink"])
        for index in range(NODES):
            rabbit.wait_node(c, index, self.infra[f"rabbitmq-{index + 1}"])
        rabbit.form(c, self.infra, self.progress)
        if before_migrations is not None:
            before_migrations()
        for service in SERVICES:
            self.progress(f"migrating {service}")
            upgrade(service, s.db_url)
        self.progress("declaring the bus topology (quorum queues on all three nodes) and its policies")
        topology.declare(self.bus)
        self.progress(f"{rabbit.apply_policies(c, self.bus)} queue policies: delivery limit, no-drop parking")
        self.progress("ensuring the development team account")
        was_reset = self._ensure_dev_account()
        self.progress("setting up the identity vault")
        self._ensure_vault(was_reset)

    def _ensure_database(self) -> None:
        conn = postgres.connect(self.cluster.pg_ports[0])
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.cluster.database,))
                if not cur.fetchone():
                    cur.execute(psycopg2.sql.SQL("CREATE DATABASE {}").format(
                        psycopg2.sql.Identifier(self.cluster.database)))
                    self.progress(f"created database {self.cluster.database}")
        finally:
            conn.close()

    # --- the services: two of each ------------------------------------------------------

    def replica_url(self, service: str, index: int) -> str:
        return f"http://127.0.0.1:{self.cluster.replica_ports[service][index]}"

    def start_replica(self, service: str, index: int, extra_env: dict | None = None) -> None:
        c = self.cluster
        env = {f"NETRA_{service.upper()}_ADDRESS": f"127.0.0.1:{c.replica_ports[service][index]}",
               f"NETRA_{service.upper()}_METRICS_ADDRESS": f"127.0.0.1:{c.replica_metrics[service][index]}",
               **(extra_env or {})}
        name = replica_name(service, index)
        process = ManagedProcess(name, [sys.executable, "-m", "netra_common.runner", service],
                                 env=self.service_env(service, env), log_path=c.log_dir / f"{name}.log",
                                 echo=self.echo)
        process.start()
        self.services[name] = process

    def wait_replica(self, service: str, index: int, timeout: float = 90) -> None:
        url = f"{self.replica_url(service, index)}/healthz"
        wait_until(lambda: requests.get(url, timeout=2).status_code == 200, timeout=timeout,
                   what=f"{replica_name(service, index)} at {url}",
                   process=self.services[replica_name(service, index)])

    def start_services(self, services=SERVICES) -> None:
        for index in range(REPLICAS):
            for service in services:
                self.progress(f"starting {replica_name(service, index)}")
                self.start_replica(service, index)
        for index in range(REPLICAS):
            for service in services:
                self.wait_replica(service, index)
        self.progress("starting nginx in front of intake, casework and evidence")
        self._start_infra("nginx", nginx.process(self.cluster))
        for service, door in self.cluster.doors.items():
            wait_until(lambda d=door: requests.get(f"http://127.0.0.1:{d}/healthz", timeout=2).status_code == 200,
                       timeout=30, what=f"nginx's door to {service}", process=self.infra["nginx"])

    def wait_healthy(self, service: str, timeout: float = 60) -> None:
        """A replica's name (intake-1), or a service's: both its replicas."""
        name, _, number = service.rpartition("-")
        if name in SERVICES and number.isdigit():
            self.wait_replica(name, int(number) - 1, timeout)
            return
        for index in range(REPLICAS):
            self.wait_replica(service, index, timeout)

    def all_processes(self) -> dict[str, ManagedProcess]:
        """What the supervisor keeps running: never the old primary once the standby was promoted
        (started again it would take writes beside the new one)."""
        found = super().all_processes()
        if self.failed_over:
            found.pop("postgresql-primary", None)
        return found

    # --- faults the drill stages -------------------------------------------------------

    def fail_over(self) -> float:
        """Stop the primary, promote the standby; seconds until the standby takes writes."""
        started = time.monotonic()
        self.failed_over = True  # first: the supervisor must not start the old primary again
        self.infra["postgresql-primary"].stop()
        postgres.promote(self.cluster.pg_ports[1])
        wait_until(lambda: not postgres.in_recovery(self.cluster.pg_ports[1]), timeout=60,
                   what="the promoted standby")
        return time.monotonic() - started

    def stop(self, *, fast: bool = False) -> None:
        """The doors, then the services, then what they use; each group told at once, then waited
        for (SeaweedFS alone takes many seconds per process to exit)."""
        groups = [{"nginx": self.infra.pop("nginx", None)}, {n: self.services.pop(n) for n in list(self.services)},
                  {n: self.infra.pop(n, None) for n in STOP_ORDER if n != "nginx"},
                  {n: self.infra.pop(n) for n in list(self.infra)}]
        for group in groups:
            running = {n: p for n, p in group.items() if p is not None}
            if running and any(n in STOP_ORDER for n in running):
                self.progress(f"stopping {', '.join(running)}")
            for process in running.values():
                process.signal(signal.SIGKILL if fast else process.stop_signal)
            for process in running.values():
                process.kill() if fast else process.stop()
        if self.keeper:
            self.keeper.stop()
