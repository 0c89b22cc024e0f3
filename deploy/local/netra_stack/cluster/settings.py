"""Where each part of the cluster listens and keeps its data."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from netra_stack.settings import PROJECT_ROOT, SERVICES, SeaweedPorts, StackSettings, free_ports

REPLICAS = 2
NODES = 3  # RabbitMQ nodes, and SeaweedFS volume servers
# The doors nginx serves: each goes to both replicas of its service.
PUBLIC = ("intake", "casework", "evidence")


@dataclass(frozen=True)
class ClusterStackSettings(StackSettings):
    """The stack's settings where PostgreSQL is a primary and a standby: every database URL names
    both, and libpq takes the one that accepts writes (a promoted standby, without any change)."""

    pg_ports: tuple[int, ...] = ()

    @property
    def db_url(self) -> str:
        return multi_host_url(self.pg_ports, self.database)


def multi_host_url(ports, database: str) -> str:
    hosts = "&".join(f"host=127.0.0.1:{port}" for port in ports)
    return f"postgresql+psycopg2://postgres@/{database}?{hosts}&target_session_attrs=read-write"


def libpq_dsn(ports, database: str) -> str:
    """The same for psycopg2 and the PostgreSQL tools."""
    hosts = ",".join("127.0.0.1" for _ in ports)
    return (f"host={hosts} port={','.join(str(p) for p in ports)} user=postgres dbname={database} "
            "target_session_attrs=read-write connect_timeout=5")


@dataclass(frozen=True)
class ClusterSettings:
    data_dir: Path
    tag: str  # names the RabbitMQ nodes, so two clusters (make cluster, a test's) never meet
    amqp_ports: tuple[int, ...]
    dist_ports: tuple[int, ...]
    pg_ports: tuple[int, ...]  # primary, standby
    seaweed_master: tuple[int, int]  # http, grpc
    seaweed_volumes: tuple[tuple[int, int], ...]
    seaweed_filer: tuple[int, int]
    seaweed_s3: tuple[int, int]
    doors: dict  # service -> nginx port
    replica_ports: dict  # service -> (port of replica 1, port of replica 2)
    replica_metrics: dict
    smtp_port: int
    database: str = "netra"
    bus_prefix: str = "netra"
    extra_env: dict = field(default_factory=dict)

    @property
    def amqp_uri(self) -> str:
        """kombu's failover form: a client goes on to the next node when one is away."""
        return ";".join(f"amqp://guest:guest@127.0.0.1:{port}/" for port in self.amqp_ports)

    def node(self, index: int) -> str:
        return f"netra-{self.tag}-{index + 1}@localhost"

    @property
    def rabbit_dir(self) -> Path:
        return self.data_dir / "rabbitmq"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def listening_ports(self) -> dict[str, int]:
        ports = {f"RabbitMQ {i + 1}": p for i, p in enumerate(self.amqp_ports)}
        ports |= {f"RabbitMQ {i + 1} distribution": p for i, p in enumerate(self.dist_ports)}
        ports |= {"PostgreSQL primary": self.pg_ports[0], "PostgreSQL standby": self.pg_ports[1]}
        ports |= {"SeaweedFS master": self.seaweed_master[0], "SeaweedFS filer": self.seaweed_filer[0],
                  "SeaweedFS S3": self.seaweed_s3[0]}
        ports |= {f"SeaweedFS volume {i + 1}": p for i, (p, _) in enumerate(self.seaweed_volumes)}
        ports |= {f"nginx {s}": p for s, p in self.doors.items()}
        ports |= {f"{s} {i + 1}": p for s, two in self.replica_ports.items() for i, p in enumerate(two)}
        ports |= {"SMTP sink": self.smtp_port}
        return ports

    def stack_settings(self) -> ClusterStackSettings:
        """What netra_stack.Stack reads: the doors as the services' URLs (nginx), the cluster's
        stores. A replica's own address is set per process (ClusterStack.start_replica)."""
        base = StackSettings.from_env()
        ports = {**self.doors, "notify": self.replica_ports["notify"][0]}
        return ClusterStackSettings(
            data_dir=self.data_dir, pg_url=f"postgresql+psycopg2://postgres@127.0.0.1:{self.pg_ports[0]}",
            database=self.database, amqp_uri=self.amqp_uri, bus_prefix=self.bus_prefix,
            service_ports=ports, metrics_ports={s: self.replica_metrics[s][0] for s in SERVICES},
            seaweed=replace(SeaweedPorts(), s3=self.seaweed_s3[0], s3_grpc=self.seaweed_s3[1]),
            seaweed_vacuum_seconds=300, smtp_port=self.smtp_port, retry_delays_ms=base.retry_delays_ms,
            bkppd_email=base.bkppd_email, extra_env=dict(self.extra_env), pg_ports=self.pg_ports)

    @classmethod
    def default(cls) -> ClusterSettings:
        """`make cluster`: fixed ports in 27000-27999 (below the ephemeral range, clear of `make run`'s)."""
        root = Path(os.environ.get("NETRA_CLUSTER_DIR", PROJECT_ROOT / ".netra-cluster"))
        return cls.with_ports(root, "c", list(range(27000, 27000 + PORTS_NEEDED)), database="netra_cluster",
                              bus_prefix="netra-cluster")

    @classmethod
    def for_tests(cls, data_dir: Path, **extra_env) -> ClusterSettings:
        tag = uuid.uuid4().hex[:8]
        test_env = StackSettings.for_tests(data_dir).extra_env
        return cls.with_ports(data_dir, tag, free_ports(PORTS_NEEDED), database=f"netra_cluster_{tag}",
                              bus_prefix=f"netra-cluster-{tag}", extra_env={**test_env, **extra_env})

    @classmethod
    def with_ports(cls, root: Path, tag: str, ports: list[int], **kwargs) -> ClusterSettings:
        take = iter(ports)

        def some(n: int) -> tuple[int, ...]:
            return tuple(next(take) for _ in range(n))

        return cls(
            data_dir=root, tag=tag, amqp_ports=some(NODES), dist_ports=some(NODES), pg_ports=some(2),
            seaweed_master=some(2), seaweed_volumes=tuple(some(2) for _ in range(NODES)),  # type: ignore[arg-type]
            seaweed_filer=some(2), seaweed_s3=some(2),  # type: ignore[arg-type]
            doors={s: next(take) for s in PUBLIC},
            replica_ports={s: some(REPLICAS) for s in SERVICES},
            replica_metrics={s: some(REPLICAS) for s in SERVICES},
            smtp_port=next(take), **kwargs)


PORTS_NEEDED = 3 + 3 + 2 + 2 + 6 + 2 + 2 + len(PUBLIC) + 2 * REPLICAS * len(SERVICES) + 1
