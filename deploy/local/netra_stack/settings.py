"""Where each part of the local stack listens and keeps its data."""

from __future__ import annotations

import os
import random
import socket
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("intake", "evidence", "casework", "notify")


FIRST_CHOSEN_PORT = 20000


def _choosable_ports() -> range:
    """Ports below the kernel's ephemeral range: a port the kernel handed out for an outgoing
    connection (a test's, a browser's) cannot take one between its choice here and its server's
    start, which happened with ports from the ephemeral range. Under pytest-xdist each worker
    chooses from its own share, so two workers starting stacks at once never choose the same."""
    try:
        ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_low = 32768
    worker, workers = os.environ.get("PYTEST_XDIST_WORKER", "gw0"), os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")
    index, count = int(worker.removeprefix("gw") or 0), max(int(workers), 1)
    share = (ephemeral_low - FIRST_CHOSEN_PORT) // count
    return range(FIRST_CHOSEN_PORT + index * share, FIRST_CHOSEN_PORT + (index + 1) * share)


def _bound(port: int) -> socket.socket | None:
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", port))
        return sock
    except OSError:
        sock.close()
        return None


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` different free ports: each is held until all are chosen, so a stack never gets the
    same port twice (one port asked for at a time can come back again once released)."""
    choosable = _choosable_ports()
    held: list[socket.socket] = []
    try:
        if len(choosable) < 100:  # hardly any room below the ephemeral range: the kernel chooses
            held = [_bound(0) for _ in range(count)]  # type: ignore[misc]
        else:
            for port in random.sample(choosable, len(choosable)):
                sock = _bound(port)
                if sock is not None:
                    held.append(sock)
                if len(held) == count:
                    break
        return [sock.getsockname()[1] for sock in held]
    finally:
        for sock in held:
            sock.close()


@dataclass(frozen=True)
class SeaweedPorts:
    """SeaweedFS listens on eight ports; gRPC ones are set explicitly, never port + 10000."""

    master: int = 9333
    master_grpc: int = 19333
    volume: int = 8080
    volume_grpc: int = 18080
    filer: int = 8888
    filer_grpc: int = 18888
    s3: int = 8333
    s3_grpc: int = 18333

    @classmethod
    def random(cls) -> SeaweedPorts:
        return cls(*free_ports(8))


@dataclass(frozen=True)
class StackSettings:
    data_dir: Path
    pg_url: str  # server URL without a database name
    database: str
    amqp_uri: str
    bus_prefix: str = "netra"
    service_ports: dict = field(default_factory=lambda: {
        "intake": 8000, "casework": 8001, "evidence": 8002, "notify": 8003})
    # Each service's /metrics (Prometheus), on a port of its own: never a door the public reaches.
    metrics_ports: dict = field(default_factory=lambda: {
        "intake": 9400, "casework": 9401, "evidence": 9402, "notify": 9403})
    seaweed: SeaweedPorts = field(default_factory=SeaweedPorts)
    # How often SeaweedFS compacts away the bytes of deleted objects.
    seaweed_vacuum_seconds: int = 300
    smtp_port: int = 1025
    retry_delays_ms: str = "1000,5000,30000,120000,600000"
    bkppd_email: str = "bkppd@bengkaliskab.go.id"
    extra_env: dict = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        parts = urlsplit(self.pg_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{self.database}", "", ""))

    @property
    def s3_endpoint(self) -> str:
        return f"127.0.0.1:{self.seaweed.s3}"

    def listening_ports(self) -> dict[str, int]:
        """Every port the stack listens on, by what listens there."""
        seaweed = {f"SeaweedFS {name}": port for name, port in vars(self.seaweed).items()}
        metrics = {f"{name} metrics": port for name, port in self.metrics_ports.items()}
        return {**self.service_ports, **metrics, "SMTP sink": self.smtp_port, **seaweed}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.service_ports[service]}"

    def metrics_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.metrics_ports[service]}/metrics"

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @classmethod
    def from_env(cls) -> StackSettings:
        """`make run`: the defaults the README and docs/architecture.md ("Running it") name, each overridable."""
        env = os.environ
        defaults = cls(data_dir=PROJECT_ROOT / ".netra", pg_url="", database="", amqp_uri="")
        ports = {name: int(env.get(f"NETRA_{name.upper()}_PORT", port))
                 for name, port in defaults.service_ports.items()}
        metrics_ports = {name: int(env.get(f"NETRA_{name.upper()}_METRICS_PORT", port))
                         for name, port in defaults.metrics_ports.items()}
        seaweed = defaults.seaweed
        if env.get("NETRA_SEAWEED_PORTS"):
            seaweed = SeaweedPorts(*(int(p) for p in env["NETRA_SEAWEED_PORTS"].split(",")))
        return cls(
            data_dir=Path(env.get("NETRA_DATA_DIR", defaults.data_dir)),
            pg_url=env.get("NETRA_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432"),
            database=env.get("NETRA_DB_NAME", "netra"),
            amqp_uri=env.get("NETRA_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"),
            bus_prefix=env.get("NETRA_BUS_PREFIX", "netra"),
            service_ports=ports,
            metrics_ports=metrics_ports,
            seaweed=seaweed,
            seaweed_vacuum_seconds=int(env.get("NETRA_SEAWEED_VACUUM_SECONDS", defaults.seaweed_vacuum_seconds)),
            smtp_port=int(env.get("NETRA_SMTP_PORT", defaults.smtp_port)),
            retry_delays_ms=env.get("NETRA_RETRY_DELAYS_MS", defaults.retry_delays_ms),
            bkppd_email=env.get("NETRA_BKPPD_EMAIL", defaults.bkppd_email),
        )

    def as_env(self) -> dict[str, str]:
        """The variables `from_env` reads, set to these settings: what an operator's shell would hold
        for `make run` to start this stack (and for the operator commands to find it)."""
        return {
            "NETRA_DATA_DIR": str(self.data_dir), "NETRA_PG_URL": self.pg_url, "NETRA_DB_NAME": self.database,
            "NETRA_AMQP_URI": self.amqp_uri, "NETRA_BUS_PREFIX": self.bus_prefix,
            **{f"NETRA_{name.upper()}_PORT": str(port) for name, port in self.service_ports.items()},
            "NETRA_SEAWEED_PORTS": ",".join(str(port) for port in vars(self.seaweed).values()),
            "NETRA_SEAWEED_VACUUM_SECONDS": str(self.seaweed_vacuum_seconds),
            "NETRA_SMTP_PORT": str(self.smtp_port), "NETRA_RETRY_DELAYS_MS": self.retry_delays_ms,
            "NETRA_BKPPD_EMAIL": self.bkppd_email,
        }

    @classmethod
    def for_tests(cls, data_dir: Path, **overrides) -> StackSettings:
        """An isolated stack: its own database, bus prefix, ports and folders."""
        tag = uuid.uuid4().hex[:8]
        ports = free_ports(17)  # services, their metrics, SeaweedFS's eight, the SMTP sink
        base = cls.from_env()
        settings = replace(
            base,
            data_dir=data_dir,
            database=f"netra_test_{tag}",
            bus_prefix=f"netra-test-{tag}",
            service_ports=dict(zip(SERVICES, ports[:4], strict=True)),
            metrics_ports=dict(zip(SERVICES, ports[4:8], strict=True)),
            seaweed=SeaweedPorts(*ports[8:16]),
            seaweed_vacuum_seconds=10,
            smtp_port=ports[16],
            retry_delays_ms="300,600,1200",
            extra_env={
                # Tests speak for many clients through X-Forwarded-For, and wait seconds, not minutes.
                "NETRA_TRUSTED_PROXIES": "127.0.0.1",
                "NETRA_LOOKUP_FIRST_WAIT_SECONDS": "1",
                "NETRA_LOOKUP_LONGEST_WAIT_SECONDS": "4",
                "NETRA_LOGIN_FIRST_WAIT_SECONDS": "2",
                "NETRA_LOGIN_LONGEST_WAIT_SECONDS": "4",
                # Tests fail logins on purpose; the test of taking turns sets its own allowance.
                "NETRA_LOGIN_OVERALL_ALLOWED": "100000",
                "NETRA_CONSOLE_RENEW_SECONDS": "2",
                "NETRA_SUBMIT_ALLOWED": "1000",
                "NETRA_EVIDENCE_RETENTION_DAYS": "1",
                "NETRA_OVERDUE_CHECK_SECONDS": "2",
                "NETRA_NOTIFY_TICK_SECONDS": "1",
                "NETRA_NOTIFY_RETRY_SECONDS": "1,1,2",
            },
        )
        return replace(settings, **overrides)
